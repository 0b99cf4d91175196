// Writing pictures without a third-party image library: PNG (RGB, zlib-compressed; needs the
// build's zlib) and animated GIF (LZW written here). Used by `rrcnn render`, the GUI's
// screenshot and GIF recording. Writes are atomic like checkpoints.
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
  int width_, height_, delay_, frames_ = 0;
  std::vector<uint8_t> out_;
};

}  // namespace rrcnn
