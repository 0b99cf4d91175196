// Forward step, rollout and backpropagation through time for the RRCNN (see model.h).
#include "core/reference/model.h"

#include <algorithm>

#include "core/error.h"

namespace rrcnn {

template <typename T>
Model<T>::Model(const ModelConfig& config) : config_(config), layout_(config) {}

template <typename T>
void Model<T>::forward_cell_mlp(const T* params, size_t m, const T* perception,
                                const std::vector<T*>& hidden, T* update) {
  const int layers = config_.num_layers();
  const T* in = perception;
  for (int l = 0; l < layers; ++l) {
    const bool last = l + 1 == layers;
    T* out = last ? update : hidden[l];
    dense_forward<T>(m, config_.layer_in(l), config_.layer_out(l), in,
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
  perceive_forward<T>(g, config_.perception, state, params + layout_.perceive_kernel().offset,
                      perception_.data(), scratch_);
  size_t m = n;
  const T* mlp_in = perception_.data();
  if (keep) {
    rows_.resize(n);
    m = kept_rows(n, keep, rows_.data());
    mlp_in_.resize(m * config_.perception);
    gather_rows<T>(m, config_.perception, rows_.data(), perception_.data(), mlp_in_.data());
    mlp_in = mlp_in_.data();
  }
  update_.resize(m * config_.channels);
  hidden_.resize(config_.hidden.size());
  std::vector<T*> hidden_ptrs;
  for (size_t l = 0; l < hidden_.size(); ++l) {
    hidden_[l].resize(m * config_.hidden[l]);
    hidden_ptrs.push_back(hidden_[l].data());
  }
  forward_cell_mlp(params, m, mlp_in, hidden_ptrs, update_.data());
  if (keep)
    kept_residual_forward<T>(g, m, rows_.data(), state, update_.data(), keep_prob,
                             T(config_.step_size), next);
  else
    dropout_residual_forward<T>(g, state, update_.data(), nullptr, keep_prob,
                                T(config_.step_size), next);
}

template <typename T>
T Model<T>::loss_and_grad(const T* params, int batch, int steps, const T* init_state,
                          const T* clean, const uint8_t* masks, T keep_prob, T* grad,
                          T* final_state) {
  RRCNN_CHECK(steps >= 1, "loss_and_grad: needs at least one step, got " << steps);
  const GridShape g = grid(batch);
  const size_t n = g.cells(), sc = n * config_.channels;
  const int layers = config_.num_layers(), p_n = config_.perception;
  const T* kernel = params + layout_.perceive_kernel().offset;

  // The MLP's rows of every step (all cells, or the kept ones), known before the rollout.
  row_begin_.assign(steps + 1, 0);
  if (masks) rows_.resize(size_t(steps) * n);
  for (int t = 0; t < steps; ++t) {
    const size_t m = masks ? kept_rows(n, masks + t * n, rows_.data() + t * n) : n;
    row_begin_[t + 1] = row_begin_[t] + m;
  }
  const size_t total_rows = row_begin_[steps];
  auto rows_of = [&](int t) { return rows_.data() + t * n; };
  auto count_of = [&](int t) { return row_begin_[t + 1] - row_begin_[t]; };

  // Forward, keeping what the backward pass reads.
  states_.resize((steps + 1) * sc);
  perceptions_.resize(total_rows * p_n);
  if (masks) perception_.resize(n * p_n);
  hiddens_.resize(config_.hidden.size());
  for (size_t l = 0; l < hiddens_.size(); ++l) hiddens_[l].resize(total_rows * config_.hidden[l]);
  update_.resize(n * config_.channels);
  std::vector<T*> hidden_ptrs(hiddens_.size());
  std::copy(init_state, init_state + sc, states_.begin());
  for (int t = 0; t < steps; ++t) {
    const T* s = states_.data() + t * sc;
    T* next = states_.data() + (t + 1) * sc;
    const size_t r0 = row_begin_[t], m = count_of(t);
    T* p = perceptions_.data() + r0 * p_n;
    if (masks) {
      perceive_forward<T>(g, p_n, s, kernel, perception_.data(), scratch_);
      gather_rows<T>(m, p_n, rows_of(t), perception_.data(), p);
    } else {
      perceive_forward<T>(g, p_n, s, kernel, p, scratch_);
    }
    for (size_t l = 0; l < hiddens_.size(); ++l)
      hidden_ptrs[l] = hiddens_[l].data() + r0 * config_.hidden[l];
    forward_cell_mlp(params, m, p, hidden_ptrs, update_.data());
    if (masks)
      kept_residual_forward<T>(g, m, rows_of(t), s, update_.data(), keep_prob,
                               T(config_.step_size), next);
    else
      dropout_residual_forward<T>(g, s, update_.data(), nullptr, keep_prob, T(config_.step_size),
                                  next);
  }
  const T* last_state = states_.data() + steps * sc;
  if (final_state) std::copy(last_state, last_state + sc, final_state);
  const T loss = image_mse<T>(g, last_state, clean);

  // Backward through time. dstate_ holds dL/d state_{t+1} on entry to iteration t.
  std::fill(grad, grad + layout_.total(), T(0));
  dstate_.resize(sc);
  dupdate_.resize(sc);
  dperc_.resize(n * p_n);
  if (masks) dperc_rows_.resize(n * p_n);
  const int widest = config_.max_width();
  dact_.resize(n * widest);
  dact2_.resize(n * widest);
  image_mse_backward<T>(g, last_state, clean, dstate_.data());
  for (int t = steps - 1; t >= 0; --t) {
    const size_t r0 = row_begin_[t], m = count_of(t);
    if (masks)
      kept_residual_backward<T>(g, m, rows_of(t), dstate_.data(), keep_prob, T(config_.step_size),
                                dupdate_.data());
    else
      dropout_residual_backward<T>(g, dstate_.data(), nullptr, keep_prob, T(config_.step_size),
                                   dupdate_.data());
    // Walk the MLP backwards; `dout` is dL/d(pre-activation) of layer l.
    T* dperc = masks ? dperc_rows_.data() : dperc_.data();
    T* dout = dupdate_.data();
    for (int l = layers - 1; l >= 0; --l) {
      const T* in = l == 0 ? perceptions_.data() + r0 * p_n
                           : hiddens_[l - 1].data() + r0 * config_.hidden[l - 1];
      T* din = l == 0 ? dperc : (dout == dact_.data() ? dact2_.data() : dact_.data());
      dense_backward<T>(m, config_.layer_in(l), config_.layer_out(l), in,
                        params + layout_.layer_kernel(l).offset, dout,
                        grad + layout_.layer_kernel(l).offset, grad + layout_.layer_bias(l).offset,
                        din);
      if (l > 0) relu_backward_inplace<T>(m * config_.layer_in(l), in, din);
      dout = din;
    }
    // dL/d state_t = dL/d state_{t+1} (identity path) + perception's input gradient; the
    // initial state's gradient is never used, so the last conv transpose is skipped. A trained
    // perception kernel accumulates state_t^T dperception_t over every step, t = 0 included.
    const bool train_kernel = config_.train_perception;
    if (t > 0 || train_kernel) {
      if (masks) scatter_rows<T>(n, m, p_n, rows_of(t), dperc, dperc_.data());
      if (train_kernel)
        perceive_kernel_grad<T>(g, p_n, states_.data() + t * sc, dperc_.data(),
                                grad + layout_.perceive_kernel().offset, scratch_);
      if (t > 0) perceive_backward<T>(g, p_n, dperc_.data(), kernel, dstate_.data(), scratch_);
    }
  }
  return loss;
}

template class Model<float>;
template class Model<double>;

}  // namespace rrcnn
