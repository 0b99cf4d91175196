// Forward step, rollout and backpropagation through time for the RRCNN (see model.h).
#include "core/model.h"

#include <algorithm>

#include "core/error.h"

namespace rrcnn {

template <typename T>
Model<T>::Model(const ModelConfig& config) : config_(config), layout_(config) {}

template <typename T>
void Model<T>::forward_cell_mlp(const T* params, size_t n, const T* perception,
                                std::vector<std::vector<T>*>& hidden_out, T* update) {
  const int layers = config_.num_layers();
  const T* in = perception;
  for (int l = 0; l < layers; ++l) {
    const bool last = l + 1 == layers;
    T* out = last ? update : hidden_out[l]->data();
    dense_forward<T>(n, config_.layer_in(l), config_.layer_out(l), in,
                     params + layout_.layer_kernel(l).offset,
                     params + layout_.layer_bias(l).offset, !last, out);
    in = out;
  }
}

template <typename T>
void Model<T>::step(const T* params, int batch, const T* state, const uint8_t* keep, T keep_prob,
                    T* next) {
  const GridShape g = grid(batch);
  const size_t n = g.cells();
  perception_.resize(n * config_.perception);
  update_.resize(n * config_.channels);
  hidden_.resize(config_.hidden.size());
  std::vector<std::vector<T>*> hidden_ptrs;
  for (size_t l = 0; l < hidden_.size(); ++l) {
    hidden_[l].resize(n * config_.hidden[l]);
    hidden_ptrs.push_back(&hidden_[l]);
  }
  perceive_forward<T>(g, config_.perception, state, params + layout_.perceive_kernel().offset,
                      perception_.data(), scratch_);
  forward_cell_mlp(params, n, perception_.data(), hidden_ptrs, update_.data());
  dropout_residual_forward<T>(g, state, update_.data(), keep, keep_prob, T(config_.step_size),
                              next);
}

template <typename T>
T Model<T>::loss_and_grad(const T* params, int batch, int steps, const T* init_state,
                          const T* clean, const uint8_t* masks, T keep_prob, T* grad,
                          T* final_state) {
  RRCNN_CHECK(steps >= 1, "loss_and_grad: needs at least one step, got " << steps);
  const GridShape g = grid(batch);
  const size_t n = g.cells(), sc = n * config_.channels, sp = n * config_.perception;
  const int layers = config_.num_layers();
  const size_t cells_per_mask = n;

  // Forward, keeping what the backward pass reads.
  states_.resize((steps + 1) * sc);
  perceptions_.resize(steps * sp);
  hiddens_.resize(config_.hidden.size());
  for (size_t l = 0; l < hiddens_.size(); ++l) hiddens_[l].resize(steps * n * config_.hidden[l]);
  update_.resize(sc);
  std::copy(init_state, init_state + sc, states_.begin());
  for (int t = 0; t < steps; ++t) {
    const T* s = states_.data() + t * sc;
    T* p = perceptions_.data() + t * sp;
    perceive_forward<T>(g, config_.perception, s, params + layout_.perceive_kernel().offset, p,
                        scratch_);
    const T* in = p;
    for (int l = 0; l < layers; ++l) {
      const bool last = l + 1 == layers;
      T* out = last ? update_.data() : hiddens_[l].data() + t * n * config_.hidden[l];
      dense_forward<T>(n, config_.layer_in(l), config_.layer_out(l), in,
                       params + layout_.layer_kernel(l).offset,
                       params + layout_.layer_bias(l).offset, !last, out);
      in = out;
    }
    const uint8_t* keep = masks ? masks + t * cells_per_mask : nullptr;
    dropout_residual_forward<T>(g, s, update_.data(), keep, keep_prob, T(config_.step_size),
                                states_.data() + (t + 1) * sc);
  }
  const T* last_state = states_.data() + steps * sc;
  if (final_state) std::copy(last_state, last_state + sc, final_state);
  const T loss = image_mse<T>(g, last_state, clean);

  // Backward through time. dstate_ holds dL/d state_{t+1} on entry to iteration t.
  std::fill(grad, grad + layout_.total(), T(0));
  dstate_.resize(sc);
  dupdate_.resize(sc);
  dperc_.resize(sp);
  const int widest = config_.max_width();
  dact_.resize(n * widest);
  dact2_.resize(n * widest);
  image_mse_backward<T>(g, last_state, clean, dstate_.data());
  for (int t = steps - 1; t >= 0; --t) {
    const uint8_t* keep = masks ? masks + t * cells_per_mask : nullptr;
    dropout_residual_backward<T>(g, dstate_.data(), keep, keep_prob, T(config_.step_size),
                                 dupdate_.data());
    // Walk the MLP backwards; `dout` is dL/d(pre-activation) of layer l.
    T* dout = dupdate_.data();
    for (int l = layers - 1; l >= 0; --l) {
      const T* in = l == 0 ? perceptions_.data() + t * sp
                           : hiddens_[l - 1].data() + t * n * config_.hidden[l - 1];
      T* din = l == 0 ? dperc_.data() : (dout == dact_.data() ? dact2_.data() : dact_.data());
      dense_backward<T>(n, config_.layer_in(l), config_.layer_out(l), in,
                        params + layout_.layer_kernel(l).offset, dout,
                        grad + layout_.layer_kernel(l).offset, grad + layout_.layer_bias(l).offset,
                        din);
      if (l > 0) relu_backward_inplace<T>(n * config_.layer_in(l), in, din);
      dout = din;
    }
    // dL/d state_t = dL/d state_{t+1} (identity path) + perception's input gradient; the
    // initial state's gradient is never used, so the last conv transpose is skipped.
    if (t > 0)
      perceive_backward<T>(g, config_.perception, dperc_.data(),
                         params + layout_.perceive_kernel().offset, dstate_.data(), scratch_);
  }
  return loss;
}

template class Model<float>;
template class Model<double>;

}  // namespace rrcnn
