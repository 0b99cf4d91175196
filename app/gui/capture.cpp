// Screenshots, GIF export and probes (see capture.h).
#include "gui/capture.h"

#include <glad/gl.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/error.h"
#include "core/frames.h"
#include "core/image_io.h"

namespace rrcnn {

double Framebuffer::mean() const {
  if (rgb.empty()) return 0;
  double s = 0;
  for (uint8_t v : rgb) s += v;
  return s / double(rgb.size());
}

double Framebuffer::stddev() const {
  if (rgb.empty()) return 0;
  const double m = mean();
  double s = 0;
  for (uint8_t v : rgb) s += (v - m) * (v - m);
  return std::sqrt(s / double(rgb.size()));
}

void Framebuffer::pixel(int x, int y, uint8_t out[3]) const {
  out[0] = out[1] = out[2] = 0;
  if (x < 0 || y < 0 || x >= width || y >= height) return;
  const uint8_t* p = &rgb[(size_t(y) * width + x) * 3];
  out[0] = p[0];
  out[1] = p[1];
  out[2] = p[2];
}

Framebuffer read_framebuffer(int width, int height) {
  Framebuffer fb;
  fb.width = width;
  fb.height = height;
  std::vector<uint8_t> raw(size_t(width) * height * 3);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, raw.data());
  // GL's first row is the bottom one; pictures start at the top.
  fb.rgb.resize(raw.size());
  const size_t row = size_t(width) * 3;
  for (int y = 0; y < height; ++y)
    std::copy(raw.begin() + long(size_t(height - 1 - y) * row),
              raw.begin() + long(size_t(height - y) * row), fb.rgb.begin() + long(size_t(y) * row));
  return fb;
}

void save_png(const std::string& path, const Framebuffer& fb) {
  RRCNN_CHECK(fb.width > 0 && fb.height > 0, "screenshot: nothing to save");
  write_png(path, fb.width, fb.height, fb.rgb);
}

int save_gif(const std::string& path, const SimRecording& rec, int scale, int fps) {
  RRCNN_CHECK(!rec.frames.empty(), "GIF: the recording has no frames");
  const std::vector<float>& noisy = rec.frames.front();
  const int delay_cs = std::max(2, int(std::lround(100.0 / std::max(fps, 1))));
  GifWriter* gif = nullptr;
  std::unique_ptr<GifWriter> owner;
  for (const std::vector<float>& frame : rec.frames) {
    const RgbImage img = compose_rows({noisy.data(), frame.data(), rec.clean.data()}, rec.batch,
                                      rec.height, rec.width, scale);
    if (!gif) {
      owner = std::make_unique<GifWriter>(img.width, img.height, delay_cs);
      gif = owner.get();
    }
    gif->add_frame(img.rgb);
  }
  gif->save(path);
  return gif->frames();
}

}  // namespace rrcnn
