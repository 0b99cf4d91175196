// K rollouts of the same noisy digits under different dropout masks, run as ONE batch of K x B
// samples on any backend (copies of the B start states; the masks differ because each sample
// index draws its own). Copy 0 keeps sample indices 0..B-1, so it is exactly the single rollout
// the live view shows. Used by the studio's uncertainty view (in the background, cancellable
// between chunks) and by `rrcnn eval --mc`.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/backend.h"
#include "core/rollout_stats.h"

namespace rrcnn {

struct McRollouts {
  int k = 0, batch = 0, pixels = 0, steps = 0;
  std::vector<float> finals;  // K blocks of (B, pixels): the image channel after `steps`
  // step_mse[t][r * B + b]: clipped MSE of digit b in rollout r after step t (t = 0: the input).
  std::vector<std::vector<double>> step_mse;
  bool cancelled = false;
};

// Largest K the studio offers (the bound; memory is K x one batch).
constexpr int kMaxMcRollouts = 32;

// backend: any backend with this model's weights and the wanted dropout rate; its live batch is
// replaced. start: (B, H, W, C) states to start from (e.g. the live batch at the current step,
// whose step counter `first_step` fixes which masks are drawn). progress(done, total) is called
// after each chunk of steps; returning false cancels (then `cancelled` is set and the result is
// partial). clean (B, pixels) scores every step; may be null (no target: step_mse stays empty).
McRollouts run_mc_rollouts(Backend& backend, const std::vector<float>& start, int batch, int k, int steps,
                           const float* clean, const std::function<bool(int, int)>& progress = {});

// Mean and standard deviation over the K rollouts of the batch-mean MSE at each step (the band
// of the error curve).
void mc_step_band(const McRollouts& run, std::vector<double>* mean, std::vector<double>* sd);

}  // namespace rrcnn
