// The optimiser of the reference run: optax.chain(clip_by_global_norm(max_norm),
// adam(linear_schedule(lr_start -> lr_end over lr_decay_steps))). Operates on the contiguous
// trained tail of the flat parameter buffer; the frozen perception kernel is never touched.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/cell_math.h"
#include "core/config.h"

namespace rrcnn {

struct AdamState {
  std::vector<float> mu, nu;  // one entry per trained parameter
  int64_t step = 0;           // optimiser updates applied so far (optax's count)
  bool empty() const { return mu.empty(); }
};

// Learning rate used by the update with 0-based index `count`.
float learning_rate(const TrainConfig& tc, int64_t count);

// L2 norm of all gradients together, accumulated in double.
double global_norm(const float* grad, size_t count);

// optax.clip_by_global_norm: g <- g / norm * max_norm when norm >= max_norm. Returns the norm.
double clip_by_global_norm(float* grad, size_t count, float max_norm);

// Hyper-parameters of the update with 0-based index `count` (the bias corrections use count+1).
AdamHyper adam_hyper(const TrainConfig& tc, int64_t count);

// One Adam update of `count` parameters; increments state.step.
void adam_update(const TrainConfig& tc, float* params, const float* grad, size_t count,
                 AdamState& state);

}  // namespace rrcnn
