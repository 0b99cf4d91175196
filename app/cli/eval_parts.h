// The parts of `rrcnn eval` beyond the plain per-level table, each in its own file:
// eval_baselines.cpp (--baselines), eval_persistence.cpp (--persistence, --repair) and
// eval_per_step.cpp (--per-step), eval_picture.cpp (--picture). Each returns a table for stdout and a JSON value.
#pragma once

#include <vector>

#include "cli/eval_common.h"
#include "core/error.h"

namespace rrcnn {

// Classic denoisers next to the model at 0.25, 0.5, 0.75 and random noise; filter parameters
// chosen on the first `tune_count` training digits.
EvalReport eval_baselines(const EvalContext& ctx, int tune_count);

// PSNR after each of `at_steps` (ascending) from one rollout at noise level `alpha`.
EvalReport eval_persistence(const EvalContext& ctx, float alpha, const std::vector<int>& at_steps);

// Erase a disc of `radius` cells at `damage_step` (centred on the ink pixel nearest each clean
// digit's centre of mass), run `recover_steps` more, and compare the damaged region with the
// same rollout left undamaged.
EvalReport eval_repair(const EvalContext& ctx, float alpha, int damage_step, int recover_steps,
                       float radius);

// Draws the repair test for the first (up to) 8 held-out digits into a PNG: one rollout,
// erased at `damage_step`, then rows at a quarter and all of `recover_steps` and at each of
// `later_steps` beyond that (eval_picture.cpp).
EvalReport write_repair_picture(const EvalContext& ctx, const std::string& path, float alpha,
                                int damage_step, int recover_steps, float radius,
                                const std::vector<int>& later_steps);

// K dropout rollouts per digit at each level: single-rollout MSE, the MSE of the K-mean image,
// and the correlation of the per-pixel spread with the error (eval_mc.cpp).
EvalReport eval_mc(const EvalContext& ctx, const std::vector<float>& alphas, int steps, int k);

// Mean MSE after every step 0..steps at each level (for the error-versus-step plot).
EvalReport eval_per_step(const EvalContext& ctx, const std::vector<float>& alphas, int steps);

}  // namespace rrcnn
