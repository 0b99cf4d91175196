// Image-quality numbers shown everywhere: MSE and PSNR of an image against its target, with
// pixel values in [0, 1] (peak 1). The live image channel is clipped to [0, 1] first, as the
// rendering does, so the numbers describe what the user sees.
#pragma once

#include <cmath>
#include <cstddef>

namespace rrcnn {

inline double psnr_from_mse(double mse) {
  return mse > 0 ? 10.0 * std::log10(1.0 / mse) : 99.0;  // identical images: capped
}

// MSE of clip(image, 0, 1) against target over `count` pixels.
inline double clipped_mse(const float* image, const float* target, size_t count) {
  double s = 0;
  for (size_t i = 0; i < count; ++i) {
    double v = image[i];
    v = v < 0 ? 0 : (v > 1 ? 1 : v);
    if (std::isnan(image[i])) v = 0;
    const double d = v - target[i];
    s += d * d;
  }
  return count ? s / double(count) : 0.0;
}

}  // namespace rrcnn
