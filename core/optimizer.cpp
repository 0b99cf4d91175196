// Global-norm clipping and Adam, element formulas from cell_math.h.
#include "core/optimizer.h"

#include <cmath>

#include "core/error.h"

namespace rrcnn {

float learning_rate(const TrainConfig& tc, int64_t count) {
  return linear_schedule(tc.lr_start, tc.lr_end, tc.lr_decay_steps, count);
}

double global_norm(const float* grad, size_t count) {
  double s = 0;
  for (size_t i = 0; i < count; ++i) s += double(grad[i]) * double(grad[i]);
  return std::sqrt(s);
}

double clip_by_global_norm(float* grad, size_t count, float max_norm) {
  const double norm = global_norm(grad, count);
  if (clip_active(norm, max_norm)) {
    const float n = static_cast<float>(norm);
    for (size_t i = 0; i < count; ++i) grad[i] = clip_element(grad[i], n, max_norm);
  }
  return norm;
}

AdamHyper adam_hyper(const TrainConfig& tc, int64_t count) {
  AdamHyper h;
  h.lr = learning_rate(tc, count);
  h.b1 = float(tc.adam_b1);
  h.b2 = float(tc.adam_b2);
  h.one_minus_b1 = float(1.0 - tc.adam_b1);
  h.one_minus_b2 = float(1.0 - tc.adam_b2);
  h.eps = tc.adam_eps;
  // optax computes decay**count in float32; pow in float matches it.
  const float t = static_cast<float>(count + 1);
  h.bias1 = 1.0f - std::pow(float(tc.adam_b1), t);
  h.bias2 = 1.0f - std::pow(float(tc.adam_b2), t);
  return h;
}

void adam_update(const TrainConfig& tc, float* params, const float* grad, size_t count,
                 AdamState& state) {
  if (state.mu.size() != count) {
    RRCNN_CHECK(state.mu.empty() && state.step == 0,
                "Adam state holds " << state.mu.size() << " moments, the model has " << count
                                    << " trained parameters");
    state.mu.assign(count, 0.0f);
    state.nu.assign(count, 0.0f);
  }
  const AdamHyper h = adam_hyper(tc, state.step);
  for (size_t i = 0; i < count; ++i) adam_element(&params[i], &state.mu[i], &state.nu[i], grad[i], h);
  ++state.step;
}

}  // namespace rrcnn
