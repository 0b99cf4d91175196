// Screenshots, GIF export and probes (see capture.h).
#include "gui/rendering/capture.h"

#include <glad/gl.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

#include "core/error.h"
#include "core/frames.h"
#include "core/image_io.h"
#include "imgui.h"

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

RgbImage save_png(const std::string& path, const Framebuffer& fb, const std::string& caption,
                  const BitmapFont& font) {
  RRCNN_CHECK(fb.width > 0 && fb.height > 0, "screenshot: nothing to save");
  RgbImage img;
  img.width = fb.width;
  img.height = fb.height;
  img.rgb = fb.rgb;
  if (!caption.empty()) img = with_caption(img, caption, font);
  write_png(path, img.width, img.height, img.rgb);
  return img;
}

int save_gif(const std::string& path, const SimRecording& rec, int scale, int fps,
             const BitmapFont& font, const std::function<std::string(int64_t)>& caption) {
  RRCNN_CHECK(!rec.frames.empty(), "the GIF recording has no frames");
  RRCNN_CHECK(rec.input.size() == rec.frames.size() && !rec.noisy.empty() &&
                  rec.noisy.size() == rec.clean.size(),
              "the GIF recording is incomplete");
  const int delay_cs = std::max(2, int(std::lround(100.0 / std::max(fps, 1))));
  GifWriter* gif = nullptr;
  std::unique_ptr<GifWriter> owner;
  for (size_t f = 0; f < rec.frames.size(); ++f) {
    const std::vector<float>& frame = rec.frames[f];
    const size_t in = size_t(rec.input[f]);
    RgbImage img = compose_rows({rec.noisy[in].data(), frame.data(), rec.clean[in].data()},
                                rec.batch, rec.height, rec.width, scale);
    if (caption) {
      img = with_row_labels(img, {"noisy", "live", "target"}, rec.height * scale, 2, font);
      img = with_caption(img, caption(f < rec.steps.size() ? rec.steps[f] : int64_t(f)), font);
    }
    if (!gif) {
      owner = std::make_unique<GifWriter>(img.width, img.height, delay_cs);
      gif = owner.get();
    }
    gif->add_frame(img.rgb);
  }
  gif->save(path);
  return gif->frames();
}

BitmapFont caption_font() {
  BitmapFont out;
  ImFont* font = ImGui::GetFont();
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  unsigned char* pixels = nullptr;
  int tw = 0, th = 0;
  atlas->GetTexDataAsRGBA32(&pixels, &tw, &th);
  if (!font || !pixels) return out;
  out.line_height = int(std::ceil(font->FontSize));
  for (char c = 32; c < 127; ++c) {
    const ImFontGlyph* g = font->FindGlyph(ImWchar(c));
    if (!g) continue;
    // The atlas may hold glyphs oversampled (ImGui's default for TTF fonts is 3x across):
    // each output pixel averages the atlas pixels it covers.
    BitmapGlyph b;
    b.advance = int(std::lround(g->AdvanceX));
    b.x_off = int(std::lround(g->X0));
    b.y_off = int(std::lround(g->Y0));
    b.w = std::max(0, int(std::lround(g->X1 - g->X0)));
    b.h = std::max(0, int(std::lround(g->Y1 - g->Y0)));
    b.alpha.resize(size_t(b.w) * b.h);
    const double u0 = g->U0 * tw, u1 = g->U1 * tw, v0 = g->V0 * th, v1 = g->V1 * th;
    for (int y = 0; y < b.h; ++y)
      for (int x = 0; x < b.w; ++x) {
        const int ax0 = int(u0 + (u1 - u0) * x / b.w), ax1 = std::max(ax0 + 1, int(u0 + (u1 - u0) * (x + 1) / b.w));
        const int ay0 = int(v0 + (v1 - v0) * y / b.h), ay1 = std::max(ay0 + 1, int(v0 + (v1 - v0) * (y + 1) / b.h));
        int sum = 0, n = 0;
        for (int ay = ay0; ay < ay1 && ay < th; ++ay)
          for (int ax = ax0; ax < ax1 && ax < tw; ++ax, ++n) sum += pixels[(size_t(ay) * tw + ax) * 4 + 3];
        b.alpha[size_t(y) * b.w + x] = uint8_t(n ? sum / n : 0);
      }
    out.glyphs[c] = std::move(b);
  }
  return out;
}

}  // namespace rrcnn
