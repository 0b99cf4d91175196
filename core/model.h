// The whole RRCNN on the CPU: one step, a rollout, and the loss with its gradient by
// backpropagation through time. Built from the layer pairs in ops.h; templated like them.
// Memory policy for BPTT: every step's perception and hidden activations are kept (about
// 1.2 MB per sample-step at the seed config, 0.6 GB for batch 8 x 64 steps) so the backward
// pass does no recomputation; the updates themselves are not kept (the backward never needs them).
#pragma once

#include <cstdint>
#include <vector>

#include "core/config.h"
#include "core/ops.h"
#include "core/param_layout.h"

namespace rrcnn {

template <typename T>
class Model {
 public:
  explicit Model(const ModelConfig& config);

  const ModelConfig& config() const { return config_; }
  const ParamLayout& layout() const { return layout_; }
  GridShape grid(int batch) const {
    return {batch, config_.height, config_.width, config_.channels};
  }

  // One step of the whole batch. keep: (B, H, W) flags, nullptr = no dropout. `next` may not
  // alias `state`.
  void step(const T* params, int batch, const T* state, const uint8_t* keep, T keep_prob,
            T* next);

  // Runs `steps` steps from init_state, then returns the image MSE against `clean` and writes
  // dL/dparams into grad (full layout size, OVERWRITTEN; the frozen kernel's entries are 0).
  // masks: (steps, B, H, W) keep flags or nullptr. final_state (B,H,W,C) is optional output.
  T loss_and_grad(const T* params, int batch, int steps, const T* init_state, const T* clean,
                  const uint8_t* masks, T keep_prob, T* grad, T* final_state = nullptr);

  // Activations of the last step() call, for the golden comparison: perception (N, P), the
  // hidden layers after relu (N, K_l), and the update (N, C) before dropout.
  const std::vector<T>& last_perception() const { return perception_; }
  const std::vector<T>& last_hidden(int l) const { return hidden_[l]; }
  const std::vector<T>& last_update() const { return update_; }

 private:
  void forward_cell_mlp(const T* params, size_t n, const T* perception,
                        std::vector<std::vector<T>*>& hidden_out, T* update);

  ModelConfig config_;
  ParamLayout layout_;
  std::vector<T> scratch_, perception_, update_;
  std::vector<std::vector<T>> hidden_;
  // BPTT storage, sized on first use and reused.
  std::vector<T> states_, perceptions_, dstate_, dnext_, dupdate_, dact_, dact2_, dperc_;
  std::vector<std::vector<T>> hiddens_;
};

extern template class Model<float>;
extern template class Model<double>;

}  // namespace rrcnn
