// The reference model, the oracle: the whole RRCNN on the CPU, one step, a rollout, and the loss
// with its gradient by backpropagation through time, written for clarity and built from the
// layer pairs in core/ops.h; templated like them (double for the finite-difference checks).
// Only the tests use it: FastModel (CPU backend) and the CUDA model are checked against it
// (docs/architecture.md, "Three implementations of one model").
// Memory policy for BPTT: every step's state, and the perception and hidden activations of the
// cells the MLP ran on, are kept (about 0.35 GB for batch 8 x 64 steps at the seed config with
// dropout 0.5) so the backward pass does no recomputation; the updates are not kept.
// Kept cells only: with a dropout mask the MLP runs, forward and backward, on the kept cells
// alone (ops.h, "Kept-cell fast path"); a dropped cell's update is multiplied by 0, so this
// changes nothing but the work (about 30% less per training step at rate 0.5).
#pragma once

#include <cstddef>
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
  // dL/dparams into grad (full layout size, OVERWRITTEN; a frozen kernel's entries are 0, a
  // trained one's (config.train_perception) sum state_t^T dperception_t over the steps).
  // masks: (steps, B, H, W) keep flags or nullptr. final_state (B,H,W,C) is optional output.
  T loss_and_grad(const T* params, int batch, int steps, const T* init_state, const T* clean,
                  const uint8_t* masks, T keep_prob, T* grad, T* final_state = nullptr);

  // Activations of the last step() call, for the golden comparison: perception (N, P), the
  // hidden layers after relu (M, K_l), and the update (M, C) before dropout, where the M rows
  // are all N cells without a keep mask and the kept cells, in order, with one.
  const std::vector<T>& last_perception() const { return perception_; }
  const std::vector<T>& last_hidden(int l) const { return hidden_[l]; }
  const std::vector<T>& last_update() const { return update_; }

 private:
  // The update MLP of m rows: hidden[l] (m, K_l) after relu, update (m, C).
  void forward_cell_mlp(const T* params, size_t m, const T* perception,
                        const std::vector<T*>& hidden, T* update);

  ModelConfig config_;
  ParamLayout layout_;
  std::vector<T> scratch_, perception_, update_, mlp_in_;
  std::vector<std::vector<T>> hidden_;
  std::vector<uint32_t> rows_;  // kept cells: (N) in step(), (T, N) capacity in loss_and_grad
  // BPTT storage, sized on first use and reused. perceptions_ and hiddens_ hold step t's M_t
  // rows from row offset row_begin_[t] on.
  std::vector<T> states_, perceptions_, dstate_, dupdate_, dact_, dact2_, dperc_, dperc_rows_;
  std::vector<std::vector<T>> hiddens_;
  std::vector<size_t> row_begin_;  // (T + 1) prefix sums of M_t
};

extern template class Model<float>;
extern template class Model<double>;

}  // namespace rrcnn
