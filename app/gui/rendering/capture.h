// Pictures out of the studio: the window as a PNG (read back from the framebuffer after the
// UI is drawn), a recorded rollout as an animated GIF (noisy | live | target rows, as
// `rrcnn render` lays them out), and the pixel probes scripted tests use.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gui/rendering/caption.h"
#include "gui/live/live_sim.h"

namespace rrcnn {

struct Framebuffer {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;  // top row first
  // Mean and standard deviation of all channels (a blank picture has stddev ~0).
  double mean() const;
  double stddev() const;
  // Pixel at (x, y) in framebuffer pixels from the top-left; {0,0,0} outside.
  void pixel(int x, int y, uint8_t out[3]) const;
};

// Reads the default framebuffer's back buffer (call after rendering, before swapping).
Framebuffer read_framebuffer(int width, int height);

// `caption` (when not empty) goes in a band under the picture. Returns the picture's size.
RgbImage save_png(const std::string& path, const Framebuffer& fb, const std::string& caption = "",
                  const BitmapFont& font = BitmapFont{});

// Frames of the recording at `scale`x, `fps` frames per second, with row labels and, when
// `caption` is set, a caption per frame (given the frame's live step). Returns the frame count.
int save_gif(const std::string& path, const SimRecording& rec, int scale, int fps,
             const BitmapFont& font = BitmapFont{},
             const std::function<std::string(int64_t)>& caption = nullptr);

// The ImGui font at its current size as a bitmap font for captions (needs an ImGui context).
BitmapFont caption_font();

}  // namespace rrcnn
