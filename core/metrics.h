// Image-quality numbers shown everywhere: MSE and PSNR of an image against its target, with
// pixel values in [0, 1] (peak 1). The live image channel is clipped to [0, 1] first, as the
// rendering does, so the numbers describe what the user sees. Also the summaries `rrcnn eval`
// reports over many digits (means with 95% intervals, diverged states, the repair region).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/brush.h"

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

// Clipped MSE of each image of a (B, pixels) batch against its target.
std::vector<double> per_sample_mse(const float* images, const float* targets, int batch, int pixels);

// Clipped MSE over the listed pixel indices of one image (a damaged region).
double region_mse(const float* image, const float* target, const std::vector<int>& pixels);

// Mean of per-digit values with the half-width of its 95% interval (normal approximation,
// 1.96 standard errors; 0 for fewer than two values).
struct Summary {
  int n = 0;
  double mean = 0, sd = 0, ci95 = 0;
};
Summary summarize(const std::vector<double>& values);

// Quality over a set of digits. `psnr` is the PSNR of the mean MSE (the dataset-level number
// `rrcnn eval` has always printed) and its interval is the MSE interval mapped through PSNR;
// `digit_psnr` is the mean of per-digit PSNRs (larger: it averages logarithms).
struct QualitySummary {
  int n = 0;
  double mse = 0, mse_lo = 0, mse_hi = 0;
  double psnr = 0, psnr_lo = 0, psnr_hi = 0;
  double digit_psnr = 0, digit_psnr_ci95 = 0;
};
QualitySummary summarize_quality(const std::vector<double>& per_digit_mse);

// A state has diverged when any value is non-finite or larger in magnitude than this: a
// trained model keeps its cells within a few units; the blow-up of a model run far past its
// horizon reaches 1e4 and then Inf/NaN.
constexpr float kDivergedLimit = 1000.0f;

// Per sample of a (B, per_sample) state: 1 where it has diverged (see kDivergedLimit).
std::vector<uint8_t> diverged_samples(const float* state, int batch, size_t per_sample,
                                      float limit = kDivergedLimit);

// Largest finite magnitude in a state, for reports.
float max_abs_finite(const float* values, size_t count);

// Where the repair test erases: the ink pixel (value >= ink) nearest the digit's centre of mass
// (intensity-weighted mean of all pixels), ties to the first in raster order; the grid centre
// when the image has no ink. Deterministic, from the clean digit only.
struct CellPos {
  int x = 0, y = 0;
};
CellPos repair_centre(const float* clean, int h, int w, float ink = 0.5f);

// An erase disc of `radius` cells centred on cell `c` of sample `sample`, and the pixel indices
// it covers (the brush's own geometry, so the region is exactly what the backend zeroes).
BrushStroke erase_disc(int sample, CellPos c, float radius);
std::vector<int> covered_pixels(const BrushStroke& stroke, int h, int w);

// 95% percentile-bootstrap interval of a statistic of n items: `stat` gets resampled indices.
struct Interval {
  double lo = 0, hi = 0;
};
Interval bootstrap_ci95(int n, const std::function<double(const std::vector<int>&)>& stat,
                        int reps = 1000, uint64_t seed = 1);

}  // namespace rrcnn
