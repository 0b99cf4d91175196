// Writing pictures: PNG (8-bit RGB, through libpng) and animated GIF (a 256-colour table per
// frame, through giflib). Used by `rrcnn render`, `rrcnn eval`'s picture, the GUI's screenshot
// and GIF recording. Writes are atomic like checkpoints. A build without libpng or giflib
// fails to write that format with one line naming the package.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rrcnn {

// rgb: height rows of width * 3 bytes, top row first.
void write_png(const std::string& path, int width, int height, const std::vector<uint8_t>& rgb);

// Encodes to memory (for tests).
std::vector<uint8_t> encode_png(int width, int height, const std::vector<uint8_t>& rgb);

class GifWriter {
 public:
  // delay between frames in hundredths of a second; the animation loops forever.
  GifWriter(int width, int height, int delay_cs);
  // Grey frames keep all 256 levels; colour frames use a fixed 6x6x6 cube plus 40 greys.
  void add_frame(const std::vector<uint8_t>& rgb);
  int frames() const { return frames_; }
  std::vector<uint8_t> finish();               // the complete file
  void save(const std::string& path);           // finish() + atomic write

 private:
  struct Frame {
    std::vector<uint8_t> palette;  // 256 x RGB
    std::vector<uint8_t> index;    // width x height palette indices, top row first
  };
  int width_, height_, delay_, frames_ = 0;
  std::vector<Frame> frames_data_;  // encoded by finish() (giflib writes a whole file at once)
};

}  // namespace rrcnn
