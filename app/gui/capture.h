// Pictures out of the studio: the window as a PNG (read back from the framebuffer after the
// UI is drawn), a recorded rollout as an animated GIF (noisy | live | target rows, as
// `rrcnn render` lays them out), and the pixel probes scripted tests use.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gui/live_sim.h"

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

void save_png(const std::string& path, const Framebuffer& fb);

// Frames of the recording at `scale`x, `fps` frames per second. Returns the frame count.
int save_gif(const std::string& path, const SimRecording& rec, int scale, int fps);

}  // namespace rrcnn
