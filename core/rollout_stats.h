// What the studio's rollout tools compute from states the backend hands out, written once for
// the window and the headless commands: where cells still change (the update applied at a
// step, summed over channels), and the statistics of K rollouts of the same noisy digits under
// different dropout masks (per-pixel mean and spread, the MSE of the mean image against a
// single rollout's, and how well the spread predicts the error).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rrcnn {

// out[b, cell] = sum_c |cur[b, cell, c] - prev[b, cell, c]| for (B, cells, C) states. A
// non-finite difference counts as +inf (a blown-up cell is as changed as it gets).
void change_map(const float* prev, const float* cur, int batch, int cells, int channels, float* out);

// The change map's colour scale, one for the studio and `rrcnn render --change`: log10 of the
// summed |update| from kChangeLo to kChangeHi (a typical cell that updates moves 0.3..1 summed
// over 64 channels; a blown-up one past 10). change_unit: 0..1 on it (non-finite: 1).
constexpr float kChangeLo = 1e-2f, kChangeHi = 10.0f;
float change_unit(float v);

// Accumulates K images (B, pixels) of the same digits, each clipped to [0, 1] as displayed,
// into per-pixel mean and (population) standard deviation.
class ImageMoments {
 public:
  ImageMoments(int batch, int pixels);
  void add(const float* images);  // (B, pixels)
  int count() const { return count_; }
  std::vector<float> mean() const;
  std::vector<float> std_dev() const;

 private:
  int batch_, pixels_, count_ = 0;
  std::vector<double> sum_, sum_sq_;
};

// Pearson correlation of a and b (0 when either is constant or n < 2).
double pearson(const std::vector<double>& a, const std::vector<double>& b);

// The summary of K dropout rollouts of B digits (all per digit, in batch order).
struct McSummary {
  int k = 0;
  std::vector<float> mean, std_dev;   // (B, pixels) of the final clipped images
  std::vector<double> single_mse;     // MSE of rollout 0 (the single rollout a user sees)
  std::vector<double> rollouts_mse;   // mean over the K rollouts of their MSE
  std::vector<double> mean_mse;       // MSE of the K-mean image
  // Pearson correlation over every pixel of these digits between the per-pixel std and the
  // absolute error of the mean image |mean - clean|.
  double std_error_corr = 0;
};
// finals: K consecutive blocks of (B, pixels) images; clean: (B, pixels).
McSummary summarize_mc(const float* finals, int k, const float* clean, int batch, int pixels);

}  // namespace rrcnn
