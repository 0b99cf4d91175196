// Classic denoisers the model is measured against in `rrcnn eval --baselines`: a Gaussian blur,
// a median filter and the mean training digit, plus the choice of a filter's parameter on
// training digits (never on the held-out targets). Images are (H, W) floats in [0, 1]; borders
// repeat the edge pixel, so a constant image stays constant.
#pragma once

#include <functional>
#include <vector>

namespace rrcnn {

// Separable Gaussian blur with standard deviation `sigma` cells (kernel radius ceil(3 sigma),
// weights normalised to sum 1). sigma <= 0 copies the image.
void gaussian_blur(const float* image, int h, int w, float sigma, float* out);

// Median of the window x window neighbourhood (window odd, >= 1; 1 copies the image).
void median_filter(const float* image, int h, int w, int window, float* out);

// A filter applied to every image of a (B, H, W) batch.
using ImageFilter = std::function<void(const float* image, float* out)>;
std::vector<float> filter_batch(const std::vector<float>& images, int h, int w, const ImageFilter& f);

// Per-pixel mean of `count` images of `pixels` each.
std::vector<float> mean_image(const float* images, int count, int pixels);

// The candidate with the lowest loss (the first one on ties). Throws on an empty list.
struct ParameterChoice {
  float value = 0;
  double loss = 0;
  std::vector<double> losses;  // one per candidate, for reports
};
ParameterChoice choose_parameter(const std::vector<float>& candidates,
                                 const std::function<double(float)>& loss);

// Candidate grids used by the eval: blur sigma 0.25..3 in steps of 0.25, median windows 3..9.
std::vector<float> blur_sigma_candidates();
std::vector<float> median_window_candidates();

}  // namespace rrcnn
