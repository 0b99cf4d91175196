// `rrcnn render`'s headless forms of the studio's rollout tools: the per-step error curve as a
// PNG plot (MSE of every digit and the batch mean after every step, log axis, the training
// horizon marked; per_sample_mse as `rrcnn eval --per-step` and the studio's curves) and the
// change map |s_t - s_(t-1)| (summed over channels) of every step as a GIF row of the digits,
// on the studio's log colour scale (core/rollout_stats.h change_unit).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/backend.h"

namespace rrcnn {

struct RenderExtras {
  std::string curve_png, change_gif, title;
  int scale = 4, delay_cs = 5, every = 1;
};

// Runs the rollout again from the same reset, recording what the extras need, and writes them.
void render_extras(Backend& backend, const std::vector<float>& clean, int digits, float alpha,
                   uint64_t seed, int steps, const RenderExtras& x);

// mse[t][b] for t = 0..steps: an RGB plot (returns its pixels and size).
std::vector<uint8_t> error_curve_png(const std::vector<std::vector<double>>& mse, int horizon,
                                     const std::string& title, int* width, int* height);
// changes: one (B, H*W) map per frame.
void change_gif_row(const std::vector<std::vector<float>>& changes, int batch, int h, int w, int scale,
                    int delay_cs, const std::string& path);

}  // namespace rrcnn
