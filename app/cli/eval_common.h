// What the parts of `rrcnn eval` share: the run context (model, backend, held-out digits), the
// noise draws every method sees, the walk over held-out digits in batches, and the formatting
// of a quality summary as a table cell or JSON. Each part returns its table and JSON.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/backend.h"
#include "core/checkpoint.h"
#include "core/dataset.h"
#include "core/metrics.h"

namespace rrcnn {

struct EvalContext {
  const Checkpoint& ck;
  Backend& backend;
  const DataSplit& data;
  int count = 0;         // held-out digits: the first `count` of the test split
  int batch = 100;       // digits per rollout
  uint64_t seed = 1234;  // noise (and dropout mask) seed
  float dropout = 0.5f;  // rate for model runs ("dropout on")
};

// One part's results: a readable table for stdout and a JSON value for --json.
struct EvalReport {
  std::string table;
  std::string json;
};

// alpha < 0 means "random": one level per digit drawn from U(0, 1), as in training.
constexpr float kRandomAlpha = -1.0f;

// The noise episode of the batch of held-out digits starting at `start`, at level `alpha`. The
// same (alpha, start) gives the same draws in every part of the eval and for every method; 0.25,
// 0.5 and 0.75 keep the episodes the plain eval has always used (their index in its list).
uint32_t noise_episode(float alpha, int start);

// Episodes for training digits used to choose baseline parameters: disjoint from the above.
inline uint32_t tuning_episode(float alpha, int start) { return noise_episode(alpha, start) | 0x80000000u; }

std::string level_label(float alpha);  // "0.25" or "random"
std::string level_json(float alpha);   // 0.25 or "random"

// Calls fn for each batch of the first ctx.count held-out digits, in order.
void for_each_test_batch(const EvalContext& ctx,
                         const std::function<void(int start, int b, const std::vector<float>& clean)>& fn);

// Resets the backend to the noisy versions of `clean` (the draws of noise_episode) with the
// given dropout rate, so runs with different rates start from identical inputs.
void start_rollout(const EvalContext& ctx, const std::vector<float>& clean, int b, float alpha,
                   int start, float dropout);

// Per-digit clipped MSE of the backend's image channel against `clean`, and which digits'
// states have diverged (see metrics.h).
void score_backend(const EvalContext& ctx, const std::vector<float>& clean, int b,
                   std::vector<double>* mse, std::vector<uint8_t>* diverged);

// "13.47 [13.41, 13.53]" (PSNR) or "0.04421 [0.04300, 0.04542]" (MSE).
std::string psnr_cell(const QualitySummary& q);
std::string mse_cell(const QualitySummary& q);
// {"mse":..,"mse_ci95":[..],"psnr":..,"psnr_ci95":[..],"digit_psnr":..,"digit_psnr_ci95":..}
// without the braces, to be embedded.
std::string quality_fields(const QualitySummary& q);
std::string json_number(double v);  // null when not finite

// A progress line on stderr when it is a terminal (evaluations take minutes on a CPU).
void note_progress(const std::string& what, int done, int total);

}  // namespace rrcnn
