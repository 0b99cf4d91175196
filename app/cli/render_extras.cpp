// `rrcnn render --curve FILE.png --change FILE.gif`: the headless forms of the studio's error
// curves and change map (see render_extras.h). Text through Debian's header-only stb_easy_font
// when it is there (apt install libstb-dev); without it the plot has no labels but the same lines.
#include "cli/render_extras.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/error.h"
#include "core/image_io.h"
#include "core/metrics.h"
#include "core/rollout_stats.h"

#if defined(__has_include)
#if __has_include(<stb/stb_easy_font.h>)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <stb/stb_easy_font.h>
#pragma GCC diagnostic pop
#define RRCNN_HAVE_EASY_FONT 1
#endif
#endif

namespace rrcnn {
namespace {

struct Canvas {
  int w, h;
  std::vector<uint8_t> rgb;
  Canvas(int w_, int h_, uint8_t bg) : w(w_), h(h_), rgb(size_t(w_) * h_ * 3, bg) {}
  void dot(int x, int y, const uint8_t c[3]) {
    if (x < 0 || y < 0 || x >= w || y >= h) return;
    std::memcpy(&rgb[(size_t(y) * w + x) * 3], c, 3);
  }
  void rect(int x0, int y0, int x1, int y1, const uint8_t c[3]) {
    for (int y = std::max(y0, 0); y < std::min(y1, h); ++y)
      for (int x = std::max(x0, 0); x < std::min(x1, w); ++x) dot(x, y, c);
  }
  // A line `t` pixels thick (squares along a DDA); dash > 0 leaves gaps.
  void line(float x0, float y0, float x1, float y1, const uint8_t c[3], int t = 1, int dash = 0) {
    const int n = int(std::max(std::fabs(x1 - x0), std::fabs(y1 - y0))) + 1;
    for (int i = 0; i <= n; ++i) {
      if (dash > 0 && (i / dash) % 2) continue;
      const float f = n ? float(i) / n : 0.0f;
      const int x = int(std::lround(x0 + (x1 - x0) * f)), y = int(std::lround(y0 + (y1 - y0) * f));
      rect(x - t / 2, y - t / 2, x - t / 2 + t, y - t / 2 + t, c);
    }
  }
  // Text at (x, y), `scale` pixels per font unit; right-aligned when `right`.
  void text(int x, int y, const std::string& s, const uint8_t c[3], int scale = 2, bool right = false) {
#ifdef RRCNN_HAVE_EASY_FONT
    std::vector<char> buf(s.begin(), s.end());
    buf.push_back(0);
    if (right) x -= stb_easy_font_width(buf.data()) * scale;
    static char quads[60000];
    const int n = stb_easy_font_print(0, 0, buf.data(), nullptr, quads, sizeof quads);
    for (int q = 0; q < n; ++q) {
      const float* v = reinterpret_cast<const float*>(quads + q * 64);  // 4 vertices of 16 bytes
      const float qx0 = v[0], qy0 = v[1], qx1 = v[8], qy1 = v[9];
      rect(x + int(qx0 * scale), y + int(qy0 * scale), x + int(qx1 * scale), y + int(qy1 * scale), c);
    }
#else
    (void)x, (void)y, (void)s, (void)c, (void)scale, (void)right;
#endif
  }
};

void hue(int b, int count, uint8_t out[3]) {
  // Evenly spaced hues, darkened for a white background.
  const float h = float(b) / float(std::max(count, 1)) * 6.0f;
  const float f = h - std::floor(h);
  float r = 0, g = 0, bl = 0;
  switch (int(h) % 6) {
    case 0: r = 1, g = f; break;
    case 1: r = 1 - f, g = 1; break;
    case 2: g = 1, bl = f; break;
    case 3: g = 1 - f, bl = 1; break;
    case 4: r = f, bl = 1; break;
    default: r = 1, bl = 1 - f; break;
  }
  out[0] = uint8_t(40 + 170 * r);
  out[1] = uint8_t(40 + 150 * g);
  out[2] = uint8_t(40 + 170 * bl);
}

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

// The change map's colours: black (settled) through orange to pale yellow (most change), on the
// log scale of change_unit.
void heat(float u, uint8_t out[3]) {
  const float r = std::min(1.0f, u * 1.6f), g = std::clamp(u * 1.3f - 0.35f, 0.0f, 1.0f),
              b = std::clamp(u * 2.0f - 1.3f, 0.0f, 1.0f);
  out[0] = uint8_t(255 * r);
  out[1] = uint8_t(255 * g);
  out[2] = uint8_t(255 * b);
}

}  // namespace

std::vector<uint8_t> error_curve_png(const std::vector<std::vector<double>>& mse, int horizon,
                                     const std::string& title, int* width, int* height) {
  RRCNN_CHECK(mse.size() >= 2 && !mse[0].empty(), "error curve: needs at least two steps");
  const int W = 960, H = 540, B = int(mse[0].size());
  Canvas cv(W, H, 255);
  const int x0 = 90, x1 = W - 30, y0 = 70, y1 = H - 60;
  double lo = 1e9, hi = -1e9;
  for (const auto& row : mse)
    for (double v : row)
      if (v > 0 && std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (!(hi > lo)) hi = lo * 10 + 1e-9;
  const double llo = std::floor(std::log10(lo)), lhi = std::ceil(std::log10(hi));
  const int steps = int(mse.size()) - 1;
  auto X = [&](double t) { return float(x0 + (x1 - x0) * t / std::max(steps, 1)); };
  auto Y = [&](double v) {
    const double l = std::log10(std::max(v, 1e-12));
    return float(y1 - (y1 - y0) * std::clamp((l - llo) / (lhi - llo), 0.0, 1.0));
  };
  const uint8_t grid[3] = {225, 225, 225}, axis[3] = {90, 90, 90}, ink[3] = {20, 20, 20},
                mean_c[3] = {200, 110, 0};
  for (double e = llo; e <= lhi + 1e-9; e += 1) {
    for (int m = 1; m <= 9; ++m) {
      const double v = m * std::pow(10.0, e);
      if (std::log10(v) > lhi + 1e-9) break;
      cv.line(float(x0), Y(v), float(x1), Y(v), grid, 1);
    }
    cv.text(x0 - 8, int(Y(std::pow(10.0, e))) - 7, fmt("%g", std::pow(10.0, e)), axis, 2, true);
  }
  const int tick = std::max(1, int(std::pow(10.0, std::floor(std::log10(std::max(steps, 1) / 2.0)))));
  for (int t = 0; t <= steps; t += tick * (steps / tick > 10 ? 2 : 1)) {
    cv.line(X(t), float(y1), X(t), float(y1 + 5), axis, 1);
    cv.text(int(X(t)) - 8, y1 + 10, fmt("%.0f", t), axis, 2);
  }
  cv.line(float(x0), float(y0), float(x0), float(y1), axis, 1);
  cv.line(float(x0), float(y1), float(x1), float(y1), axis, 1);
  if (horizon > 0 && horizon <= steps) {
    cv.line(X(horizon), float(y0), X(horizon), float(y1), axis, 1, 6);
    cv.text(int(X(horizon)) + 5, y0 + 4, fmt("training horizon %.0f", horizon), axis, 2);
  }
  for (int b = 0; b < B; ++b) {
    uint8_t c[3];
    hue(b, B, c);
    for (int t = 1; t <= steps; ++t) cv.line(X(t - 1), Y(mse[t - 1][b]), X(t), Y(mse[t][b]), c, 1);
  }
  std::vector<double> mean(mse.size());
  for (size_t t = 0; t < mse.size(); ++t) {
    for (double v : mse[t]) mean[t] += v / B;
    if (t) cv.line(X(double(t) - 1), Y(mean[t - 1]), X(double(t)), Y(mean[t]), mean_c, 3);
  }
  cv.text(x0, 10, title, ink, 2);
  cv.text(x1, 34, fmt("batch mean (orange): MSE %.4f at the last step", mean.back()), mean_c, 2, true);
  cv.text((x0 + x1) / 2 - 20, H - 28, "step", axis, 2);
  cv.text(10, 48, "MSE (log)", axis, 2);
  *width = W;
  *height = H;
  return cv.rgb;
}

void change_gif_row(const std::vector<std::vector<float>>& changes, int batch, int h, int w, int scale,
                    int delay_cs, const std::string& path) {
  RRCNN_CHECK(!changes.empty(), "change GIF: no steps");
  const int gap = 2, W = batch * (w * scale + gap) - gap, H = h * scale;
  GifWriter gif(W, H, delay_cs);
  std::vector<uint8_t> rgb(size_t(W) * H * 3, 40);
  for (const auto& ch : changes) {
    for (int b = 0; b < batch; ++b)
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
          uint8_t c[3];
          heat(change_unit(ch[(size_t(b) * h + y) * w + x]), c);
          for (int dy = 0; dy < scale; ++dy)
            for (int dx = 0; dx < scale; ++dx)
              std::memcpy(&rgb[((size_t(y) * scale + dy) * W + size_t(b) * (w * scale + gap) + x * scale + dx) * 3],
                          c, 3);
        }
    gif.add_frame(rgb);
  }
  gif.save(path);
}

void render_extras(Backend& backend, const std::vector<float>& clean, int digits, float alpha, uint64_t seed,
                   int steps, const RenderExtras& x) {
  if (x.curve_png.empty() && x.change_gif.empty()) return;
  const ModelConfig& cfg = backend.config();
  const int px = cfg.cells(), C = cfg.channels;
  // The same rollout as the main output (same reset), recorded step by step.
  backend.reset(clean, digits, alpha, seed, 0);
  std::vector<std::vector<double>> mse{per_sample_mse(backend.image().data(), clean.data(), digits, px)};
  std::vector<std::vector<float>> changes;
  std::vector<float> prev = backend.state(), change(size_t(digits) * px);
  for (int t = 1; t <= steps; ++t) {
    backend.step(1);
    const std::vector<float> cur = backend.state();
    std::vector<float> img(size_t(digits) * px);
    for (size_t i = 0; i < img.size(); ++i) img[i] = cur[i * C + C - 1];
    mse.push_back(per_sample_mse(img.data(), clean.data(), digits, px));
    if (!x.change_gif.empty() && (t % x.every == 0 || t == steps)) {
      change_map(prev.data(), cur.data(), digits, px, C, change.data());
      changes.push_back(change);
    }
    prev = cur;
  }
  if (!x.curve_png.empty()) {
    int w = 0, h = 0;
    const std::vector<uint8_t> rgb = error_curve_png(mse, cfg.rollout_steps, x.title, &w, &h);
    write_png(x.curve_png, w, h, rgb);
    std::fprintf(stderr, "wrote %s (MSE after every step 0..%d, %d digits and their mean)\n",
                 x.curve_png.c_str(), steps, digits);
  }
  if (!x.change_gif.empty()) {
    change_gif_row(changes, digits, cfg.height, cfg.width, x.scale, x.delay_cs, x.change_gif);
    std::fprintf(stderr, "wrote %s (|s_t - s_(t-1)| summed over channels, log scale %g..%g)\n",
                 x.change_gif.c_str(), double(kChangeLo), double(kChangeHi));
  }
}

}  // namespace rrcnn
