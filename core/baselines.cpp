// Classic denoisers and their parameter choice (see baselines.h).
#include "core/baselines.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace rrcnn {
namespace {

int clamp_index(int i, int n) { return i < 0 ? 0 : (i >= n ? n - 1 : i); }

}  // namespace

void gaussian_blur(const float* image, int h, int w, float sigma, float* out) {
  RRCNN_CHECK(h > 0 && w > 0, "gaussian_blur: empty image " << h << "x" << w);
  if (!(sigma > 0.0f)) {
    std::copy(image, image + size_t(h) * w, out);
    return;
  }
  const int radius = int(std::ceil(3.0f * sigma));
  std::vector<double> k(2 * radius + 1);
  double sum = 0;
  for (int i = -radius; i <= radius; ++i) sum += k[i + radius] = std::exp(-0.5 * i * i / (double(sigma) * sigma));
  for (double& v : k) v /= sum;
  // Rows first into a double buffer, then columns: the two passes of a separable kernel.
  std::vector<double> rows(size_t(h) * w);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double s = 0;
      for (int i = -radius; i <= radius; ++i) s += k[i + radius] * image[size_t(y) * w + clamp_index(x + i, w)];
      rows[size_t(y) * w + x] = s;
    }
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double s = 0;
      for (int i = -radius; i <= radius; ++i) s += k[i + radius] * rows[size_t(clamp_index(y + i, h)) * w + x];
      out[size_t(y) * w + x] = float(s);
    }
}

void median_filter(const float* image, int h, int w, int window, float* out) {
  RRCNN_CHECK(h > 0 && w > 0, "median_filter: empty image " << h << "x" << w);
  RRCNN_CHECK(window >= 1 && window % 2 == 1, "median_filter: window " << window << " must be odd and >= 1");
  const int r = window / 2;
  std::vector<float> buf(size_t(window) * window);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      size_t n = 0;
      for (int dy = -r; dy <= r; ++dy)
        for (int dx = -r; dx <= r; ++dx)
          buf[n++] = image[size_t(clamp_index(y + dy, h)) * w + clamp_index(x + dx, w)];
      std::nth_element(buf.begin(), buf.begin() + n / 2, buf.begin() + n);
      out[size_t(y) * w + x] = buf[n / 2];  // n is odd: the middle element is the median
    }
}

std::vector<float> filter_batch(const std::vector<float>& images, int h, int w, const ImageFilter& f) {
  const size_t px = size_t(h) * w;
  RRCNN_CHECK(px > 0 && images.size() % px == 0,
              "filter_batch: " << images.size() << " floats is not a whole number of " << h << "x" << w << " images");
  std::vector<float> out(images.size());
  for (size_t i = 0; i < images.size(); i += px) f(images.data() + i, out.data() + i);
  return out;
}

std::vector<float> mean_image(const float* images, int count, int pixels) {
  RRCNN_CHECK(count > 0 && pixels > 0, "mean_image: no images");
  std::vector<double> sum(pixels, 0.0);
  for (int n = 0; n < count; ++n)
    for (int p = 0; p < pixels; ++p) sum[p] += images[size_t(n) * pixels + p];
  std::vector<float> out(pixels);
  for (int p = 0; p < pixels; ++p) out[p] = float(sum[p] / count);
  return out;
}

ParameterChoice choose_parameter(const std::vector<float>& candidates,
                                 const std::function<double(float)>& loss) {
  RRCNN_CHECK(!candidates.empty(), "choose_parameter: no candidates");
  ParameterChoice best;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const double l = loss(candidates[i]);
    best.losses.push_back(l);
    if (i == 0 || l < best.loss) {
      best.loss = l;
      best.value = candidates[i];
    }
  }
  return best;
}

std::vector<float> blur_sigma_candidates() {
  std::vector<float> s;
  for (int i = 1; i <= 12; ++i) s.push_back(0.25f * i);
  return s;
}

std::vector<float> median_window_candidates() { return {3, 5, 7, 9}; }

}  // namespace rrcnn
