// The parts of `rrcnn eval` beyond the plain per-level table, each in its own file:
// eval_baselines.cpp (--baselines), eval_persistence.cpp (--persistence), eval_repair.cpp (--repair) and
// eval_per_step.cpp (--per-step), eval_picture.cpp (--picture). Each returns a table for stdout and a JSON value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/eval_common.h"
#include "core/error.h"

namespace rrcnn {

// Classic denoisers next to the model at 0.25, 0.5, 0.75 and random noise; filter parameters
// chosen on the first `tune_count` training digits.
EvalReport eval_baselines(const EvalContext& ctx, int tune_count);

// PSNR after each of `at_steps` (ascending) from one rollout at noise level `alpha`.
EvalReport eval_persistence(const EvalContext& ctx, float alpha, const std::vector<int>& at_steps);

// The damage of `rrcnn eval --repair` (eval_repair.cpp): one of the studio's brushes, by name.
struct RepairKind {
  const char* name;   // "erase_r3": the JSON key and the --kinds name
  const char* label;  // "erase disc r3": for tables
  BrushMode mode;
  float radius;       // cells
  float length;       // 0: a dab (disc); else a stroke this long along x
  float strength;     // draw: brightness; noise: standard deviation
  bool has_target;    // false for drawn ink: signal a denoiser may keep, reported without a target
};
const std::vector<RepairKind>& repair_kinds();  // erase_r3, erase_r6, erase_stroke, noise_r4, ink_stroke
// "erase_r3,noise_r4" or "all"/"" (every kind); throws naming an unknown or repeated kind.
std::vector<const RepairKind*> parse_repair_kinds(const std::string& list);
// The stroke of `kind` for one digit: centred on the ink pixel nearest the clean digit's centre
// of mass (core/metrics.h repair_centre).
BrushStroke repair_stroke(const RepairKind& kind, int sample, const float* clean, int h, int w);

// Does each kind of damage at `damage_step`, runs on to each of `recover_at` (ascending, steps
// after the damage), and compares the damaged region with the same rollout never damaged.
EvalReport eval_repair(const EvalContext& ctx, float alpha, int damage_step,
                       const std::vector<int>& recover_at, const std::vector<const RepairKind*>& kinds);

// Draws the repair test for the first (up to) 8 held-out digits into a PNG: one rollout,
// damaged by `kind` at `damage_step`, then rows at a quarter and all of `recover_steps` and at
// each of `later_steps` beyond that (eval_picture.cpp).
EvalReport write_repair_picture(const EvalContext& ctx, const std::string& path, float alpha,
                                int damage_step, int recover_steps, const RepairKind& kind,
                                const std::vector<int>& later_steps);

// Other programs' denoisers by this protocol (eval_external.cpp): the held-out digits and their
// noisy inputs at each level into a safetensors file ("clean", "noisy/0.25", ...), and the
// scores of a file of their outputs ("denoised/0.25", ...; metadata "method" names it).
EvalReport dump_noisy(const DataSplit& data, int count, int batch, uint64_t seed, const std::vector<float>& alphas,
                      const std::string& path);
EvalReport score_outputs(const DataSplit& data, int count, int batch, uint64_t seed, const std::vector<float>& alphas,
                         const std::string& path);
// K dropout rollouts per digit at each level: single-rollout MSE, the MSE of the K-mean image,
// and the correlation of the per-pixel spread with the error (eval_mc.cpp).
EvalReport eval_mc(const EvalContext& ctx, const std::vector<float>& alphas, int steps, int k);

// Mean MSE after every step 0..steps at each level (for the error-versus-step plot).
EvalReport eval_per_step(const EvalContext& ctx, const std::vector<float>& alphas, int steps);

}  // namespace rrcnn
