// Rollout statistics (see rollout_stats.h). Sums in double: K up to 32 images of values in [0, 1]
// lose nothing there, and the std of nearly equal images is not swamped by cancellation.
#include "core/rollout_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "core/metrics.h"

namespace rrcnn {

float change_unit(float v) {
  if (!std::isfinite(v)) return 1.0f;
  if (v <= kChangeLo) return 0.0f;
  const float u = std::log10(v / kChangeLo) / std::log10(kChangeHi / kChangeLo);
  return u < 1.0f ? u : 1.0f;
}
namespace {

double clip01(float v) {
  if (std::isnan(v)) return 0.0;  // as clipped_mse counts it
  return v < 0 ? 0.0 : (v > 1 ? 1.0 : double(v));
}

}  // namespace

void change_map(const float* prev, const float* cur, int batch, int cells, int channels, float* out) {
  const size_t n = size_t(batch) * cells;
  for (size_t i = 0; i < n; ++i) {
    const float* p = prev + i * channels;
    const float* c = cur + i * channels;
    double s = 0;
    for (int ch = 0; ch < channels; ++ch) s += std::fabs(double(c[ch]) - double(p[ch]));
    out[i] = std::isfinite(s) ? float(s) : std::numeric_limits<float>::infinity();
  }
}

ImageMoments::ImageMoments(int batch, int pixels)
    : batch_(batch), pixels_(pixels), sum_(size_t(batch) * pixels, 0.0), sum_sq_(sum_.size(), 0.0) {
  RRCNN_CHECK(batch > 0 && pixels > 0, "image moments: bad shape " << batch << " x " << pixels);
}

void ImageMoments::add(const float* images) {
  for (size_t i = 0; i < sum_.size(); ++i) {
    const double v = clip01(images[i]);
    sum_[i] += v;
    sum_sq_[i] += v * v;
  }
  ++count_;
}

std::vector<float> ImageMoments::mean() const {
  std::vector<float> m(sum_.size(), 0.0f);
  if (count_ == 0) return m;
  for (size_t i = 0; i < m.size(); ++i) m[i] = float(sum_[i] / count_);
  return m;
}

std::vector<float> ImageMoments::std_dev() const {
  std::vector<float> s(sum_.size(), 0.0f);
  if (count_ == 0) return s;
  for (size_t i = 0; i < s.size(); ++i) {
    const double m = sum_[i] / count_;
    s[i] = float(std::sqrt(std::max(0.0, sum_sq_[i] / count_ - m * m)));
  }
  return s;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  RRCNN_CHECK(a.size() == b.size(), "pearson: " << a.size() << " and " << b.size() << " values");
  const size_t n = a.size();
  if (n < 2) return 0.0;
  double ma = 0, mb = 0;
  for (size_t i = 0; i < n; ++i) ma += a[i], mb += b[i];
  ma /= double(n);
  mb /= double(n);
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < n; ++i) {
    const double da = a[i] - ma, db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa <= 0 || sbb <= 0) return 0.0;
  return sab / std::sqrt(saa * sbb);
}

McSummary summarize_mc(const float* finals, int k, const float* clean, int batch, int pixels) {
  RRCNN_CHECK(k >= 1, "dropout statistics need at least one rollout, got " << k);
  McSummary s;
  s.k = k;
  const size_t block = size_t(batch) * pixels;
  ImageMoments moments(batch, pixels);
  s.rollouts_mse.assign(batch, 0.0);
  for (int r = 0; r < k; ++r) {
    const float* img = finals + r * block;
    moments.add(img);
    const std::vector<double> m = per_sample_mse(img, clean, batch, pixels);
    if (r == 0) s.single_mse = m;
    for (int b = 0; b < batch; ++b) s.rollouts_mse[b] += m[b] / k;
  }
  s.mean = moments.mean();
  s.std_dev = moments.std_dev();
  s.mean_mse = per_sample_mse(s.mean.data(), clean, batch, pixels);
  std::vector<double> sd(block), err(block);
  for (size_t i = 0; i < block; ++i) {
    sd[i] = s.std_dev[i];
    err[i] = std::fabs(double(s.mean[i]) - double(clean[i]));
  }
  s.std_error_corr = pearson(sd, err);
  return s;
}

}  // namespace rrcnn
