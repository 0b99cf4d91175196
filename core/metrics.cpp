// Summaries over many digits for `rrcnn eval` (see metrics.h).
#include "core/metrics.h"

#include <algorithm>
#include <random>

#include "core/error.h"

namespace rrcnn {

std::vector<double> per_sample_mse(const float* images, const float* targets, int batch, int pixels) {
  std::vector<double> out(batch);
  for (int b = 0; b < batch; ++b)
    out[b] = clipped_mse(images + size_t(b) * pixels, targets + size_t(b) * pixels, size_t(pixels));
  return out;
}

double region_mse(const float* image, const float* target, const std::vector<int>& pixels) {
  double s = 0;
  for (int p : pixels) {
    const float v = image[p];
    s += clipped_mse(&v, target + p, 1);
  }
  return pixels.empty() ? 0.0 : s / double(pixels.size());
}

Summary summarize(const std::vector<double>& values) {
  Summary s;
  s.n = int(values.size());
  if (s.n == 0) return s;
  double sum = 0;
  for (double v : values) sum += v;
  s.mean = sum / s.n;
  if (s.n < 2) return s;
  double ss = 0;
  for (double v : values) ss += (v - s.mean) * (v - s.mean);
  s.sd = std::sqrt(ss / (s.n - 1));
  s.ci95 = 1.96 * s.sd / std::sqrt(double(s.n));
  return s;
}

QualitySummary summarize_quality(const std::vector<double>& per_digit_mse) {
  QualitySummary q;
  const Summary m = summarize(per_digit_mse);
  q.n = m.n;
  q.mse = m.mean;
  q.mse_lo = std::max(0.0, m.mean - m.ci95);
  q.mse_hi = m.mean + m.ci95;
  q.psnr = psnr_from_mse(q.mse);
  q.psnr_lo = psnr_from_mse(q.mse_hi);  // PSNR falls as MSE rises: the ends swap
  q.psnr_hi = psnr_from_mse(q.mse_lo);
  std::vector<double> psnr(per_digit_mse.size());
  for (size_t i = 0; i < psnr.size(); ++i) psnr[i] = psnr_from_mse(per_digit_mse[i]);
  const Summary p = summarize(psnr);
  q.digit_psnr = p.mean;
  q.digit_psnr_ci95 = p.ci95;
  return q;
}

std::vector<uint8_t> diverged_samples(const float* state, int batch, size_t per_sample, float limit) {
  std::vector<uint8_t> out(batch, 0);
  for (int b = 0; b < batch; ++b) {
    const float* s = state + size_t(b) * per_sample;
    for (size_t i = 0; i < per_sample; ++i)
      if (!(std::fabs(s[i]) <= limit)) {  // also true for NaN
        out[b] = 1;
        break;
      }
  }
  return out;
}

float max_abs_finite(const float* values, size_t count) {
  float m = 0;
  for (size_t i = 0; i < count; ++i)
    if (std::isfinite(values[i])) m = std::max(m, std::fabs(values[i]));
  return m;
}

CellPos repair_centre(const float* clean, int h, int w, float ink) {
  double mass = 0, mx = 0, my = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double v = clean[size_t(y) * w + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  CellPos best{w / 2, h / 2};
  if (!(mass > 0)) return best;
  mx /= mass;
  my /= mass;
  double best_d2 = -1;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      if (!(clean[size_t(y) * w + x] >= ink)) continue;
      const double dx = x + 0.5 - mx, dy = y + 0.5 - my, d2 = dx * dx + dy * dy;
      if (best_d2 < 0 || d2 < best_d2) {
        best_d2 = d2;
        best = {x, y};
      }
    }
  return best;
}

BrushStroke erase_disc(int sample, CellPos c, float radius) {
  BrushStroke s;
  s.sample = sample;
  s.x0 = s.x1 = c.x + 0.5f;  // cell centres sit at integer + 0.5
  s.y0 = s.y1 = c.y + 0.5f;
  s.radius = radius;
  s.mode = BrushMode::kErase;
  return s;
}

std::vector<int> covered_pixels(const BrushStroke& stroke, int h, int w) {
  std::vector<int> out;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      if (brush_covers(stroke, x, y)) out.push_back(y * w + x);
  return out;
}

Interval bootstrap_ci95(int n, const std::function<double(const std::vector<int>&)>& stat, int reps,
                        uint64_t seed) {
  RRCNN_CHECK(n > 0 && reps > 0, "bootstrap_ci95: needs items and repetitions");
  std::mt19937_64 gen(seed);  // the engine's sequence is fixed by the standard; the modulo below too
  std::vector<int> idx(n);
  std::vector<double> stats;
  for (int r = 0; r < reps; ++r) {
    for (int& i : idx) i = int(gen() % uint64_t(n));
    const double v = stat(idx);
    if (std::isfinite(v)) stats.push_back(v);
  }
  Interval ci;
  if (stats.empty()) return {NAN, NAN};
  std::sort(stats.begin(), stats.end());
  const auto at = [&](double q) { return stats[size_t(std::floor(q * double(stats.size() - 1) + 0.5))]; };
  ci.lo = at(0.025);
  ci.hi = at(0.975);
  return ci;
}

}  // namespace rrcnn
