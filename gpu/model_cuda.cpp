// Forward step, rollout and backpropagation through time on the GPU (see model_cuda.h). Line by
// line the same sequence as core/reference/model.cpp and core/ops.cpp; each product names its
// row-major shapes, mapped onto cuBLAS by gemm_cuda.cpp.
#include "gpu/model_cuda.h"

#include <algorithm>

#include "core/error.h"
#include "gpu/gemm_cuda.h"

namespace rrcnn {
namespace cuda {
namespace {

// im2col block: 32768 cells x 9 max(C, P) floats (75 MB at C = P = 64). The seed config's
// training batch (6,272 cells) is a single block; bigger batches loop, memory stays bounded.
constexpr size_t kBlockCells = 32768;

}  // namespace

CudaModel::CudaModel(const ModelConfig& config) : config_(config), layout_(config) {
  hidden_.resize(config_.hidden.size());
  hiddens_.resize(config_.hidden.size());
  grow(flipped_, size_t(9) * config_.channels * config_.perception);
  grow(column_partials_, size_t(kColumnChunks) * config_.max_width());
  grow(loss_partials_, size_t(kReduceBlocks));
}

void CudaModel::on_params_changed(const float* params) {
  flip_kernel(config_.channels, config_.perception, params + layout_.perceive_kernel().offset,
              flipped_.get(), stream_);
}

void CudaModel::reserve_common(size_t cells) {
  const size_t widest_conv = size_t(std::max(config_.channels, config_.perception));
  grow(cols_, std::min(cells, kBlockCells) * 9 * widest_conv);
  grow(update_, cells * config_.channels);
}

void CudaModel::reserve_step(int batch) {
  const size_t n = size_t(batch) * config_.cells();
  reserve_common(n);
  grow(perception_, n * config_.perception);
  for (size_t l = 0; l < hidden_.size(); ++l) grow(hidden_[l], n * config_.hidden[l]);
}

void CudaModel::reserve_rollout(int batch, int steps) {
  const size_t n = size_t(batch) * config_.cells();
  reserve_common(n);
  grow(states_, size_t(steps + 1) * n * config_.channels);
  grow(perceptions_, size_t(steps) * n * config_.perception);
  for (size_t l = 0; l < hiddens_.size(); ++l)
    grow(hiddens_[l], size_t(steps) * n * config_.hidden[l]);
  grow(masks_, size_t(steps) * n);
  grow(clean_, n);
  grow(dstate_, n * config_.channels);
  grow(dupdate_, n * config_.channels);
  grow(dact_, n * config_.max_width());
  grow(dact2_, n * config_.max_width());
  grow(dperc_, n * config_.perception);
  rollout_cells_ = n;
}

float* CudaModel::rollout_state(int t) {
  return states_.get() + size_t(t) * rollout_cells_ * config_.channels;
}

void CudaModel::conv3x3(int batch, int in_ch, int out_ch, const float* src, const float* kernel,
                        float beta, float* out) {
  const size_t n = size_t(batch) * config_.cells();
  const int k = 9 * in_ch;
  for (size_t r0 = 0; r0 < n; r0 += kBlockCells) {
    const size_t r1 = std::min(n, r0 + kBlockCells);
    im2col(batch, config_.height, config_.width, in_ch, src, r0, r1, cols_.get(), stream_);
    // out[r0:r1] (rows, out_ch) = cols (rows, 9 in_ch) x kernel (9 in_ch, out_ch) + beta out
    gemm(handle_, false, false, r1 - r0, out_ch, k, 1.0f, cols_.get(), k, kernel, out_ch, beta,
         out + r0 * out_ch, out_ch);
  }
}

void CudaModel::kernel_grad(int batch, const float* state, const float* dperception,
                            float* dkernel) {
  const size_t n = size_t(batch) * config_.cells();
  const int k = 9 * config_.channels, p_n = config_.perception;
  for (size_t r0 = 0; r0 < n; r0 += kBlockCells) {
    const size_t r1 = std::min(n, r0 + kBlockCells);
    im2col(batch, config_.height, config_.width, config_.channels, state, r0, r1, cols_.get(), stream_);
    // dkernel (9 C, P) += cols^T (9 C, rows) x dperception[r0:r1] (rows, P); cuBLAS's sum, no
    // atomics, so the result is deterministic.
    gemm(handle_, true, false, k, p_n, r1 - r0, 1.0f, cols_.get(), k, dperception + r0 * p_n, p_n,
         1.0f, dkernel, p_n);
  }
}

void CudaModel::mlp_forward(const float* params, size_t n, const float* perception,
                            const std::vector<float*>& hidden, float* update) {
  const int layers = config_.num_layers();
  const float* in = perception;
  for (int l = 0; l < layers; ++l) {
    const bool last = l + 1 == layers;
    const int iw = config_.layer_in(l), ow = config_.layer_out(l);
    float* out = last ? update : hidden[l];
    // out (N, O) = in (N, I) x w (I, O), then bias (+ relu) as core's dense_forward.
    gemm(handle_, false, false, n, ow, iw, 1.0f, in, iw,
         params + layout_.layer_kernel(l).offset, ow, 0.0f, out, ow);
    bias_forward(n, ow, params + layout_.layer_bias(l).offset, !last, out, stream_);
    in = out;
  }
}

void CudaModel::step(const float* params, int batch, float* state, const uint8_t* keep,
                     float keep_prob) {
  const size_t n = size_t(batch) * config_.cells();
  // perception (N, P) = conv3x3(state) with the (3, 3, C, P) kernel.
  conv3x3(batch, config_.channels, config_.perception, state,
          params + layout_.perceive_kernel().offset, 0.0f, perception_.get());
  std::vector<float*> hidden;
  for (auto& h : hidden_) hidden.push_back(h.get());
  mlp_forward(params, n, perception_.get(), hidden, update_.get());
  // In place: every element is read and written by one thread, after the products above.
  dropout_residual_forward(n, config_.channels, state, update_.get(), keep, keep_prob,
                           config_.step_size, state, stream_);
}

void CudaModel::loss_and_grad(const float* params, int batch, int steps, const float* clean,
                              const uint8_t* masks, float keep_prob, float* grad,
                              DeviceArgs* args) {
  RRCNN_CHECK(steps >= 1, "loss_and_grad: needs at least one step, got " << steps);
  RRCNN_CHECK(size_t(batch) * config_.cells() == rollout_cells_ && states_.capacity() >=
                  size_t(steps + 1) * rollout_cells_ * config_.channels,
              "loss_and_grad: rollout storage not reserved for batch " << batch << ", " << steps
                                                                      << " steps");
  const size_t n = size_t(batch) * config_.cells();
  const size_t sc = n * config_.channels, sp = n * config_.perception;
  const int layers = config_.num_layers();
  const float* kernel = params + layout_.perceive_kernel().offset;
  const float step_size = config_.step_size;
  auto hidden_at = [&](int l, int t) { return hiddens_[l].get() + size_t(t) * n * config_.hidden[l]; };
  float* states = rollout_state(0);

  // Forward, keeping what the backward pass reads.
  std::vector<float*> hidden(hiddens_.size());
  for (int t = 0; t < steps; ++t) {
    const float* s = states + size_t(t) * sc;
    float* p = perceptions_.get() + size_t(t) * sp;
    conv3x3(batch, config_.channels, config_.perception, s, kernel, 0.0f, p);
    for (size_t l = 0; l < hidden.size(); ++l) hidden[l] = hidden_at(int(l), t);
    mlp_forward(params, n, p, hidden, update_.get());
    const uint8_t* keep = masks ? masks + size_t(t) * n : nullptr;
    dropout_residual_forward(n, config_.channels, s, update_.get(), keep, keep_prob, step_size,
                             states + size_t(t + 1) * sc, stream_);
  }
  const float* last_state = states + size_t(steps) * sc;
  image_mse(n, config_.channels, last_state, clean, loss_partials_.get(), args, stream_);

  // Backward through time. dstate_ holds dL/d state_{t+1} on entry to iteration t.
  RRCNN_CUDA_CHECK(cudaMemsetAsync(grad, 0, layout_.total() * sizeof(float), stream_));
  image_mse_backward(n, config_.channels, last_state, clean, dstate_.get(), stream_);
  for (int t = steps - 1; t >= 0; --t) {
    const uint8_t* keep = masks ? masks + size_t(t) * n : nullptr;
    dropout_residual_backward(n, config_.channels, dstate_.get(), keep, keep_prob, step_size,
                              dupdate_.get(), stream_);
    // Walk the MLP backwards; `dout` is dL/d(pre-activation) of layer l.
    float* dout = dupdate_.get();
    for (int l = layers - 1; l >= 0; --l) {
      const int iw = config_.layer_in(l), ow = config_.layer_out(l);
      const float* in = l == 0 ? perceptions_.get() + size_t(t) * sp : hidden_at(l - 1, t);
      const float* w = params + layout_.layer_kernel(l).offset;
      float* din = l == 0 ? dperc_.get() : (dout == dact_.get() ? dact2_.get() : dact_.get());
      // dw (I, O) += in^T (I, N) x dout (N, O): the sum over cells is cuBLAS's, no atomics.
      gemm(handle_, true, false, iw, ow, n, 1.0f, in, iw, dout, ow, 1.0f,
           grad + layout_.layer_kernel(l).offset, ow);
      // db (O) += column sums of dout, fixed order.
      bias_backward(n, ow, dout, column_partials_.get(), grad + layout_.layer_bias(l).offset,
                    stream_);
      // The perception's gradient at t = 0 feeds only the initial state's (never used) and,
      // when the kernel is trained, the kernel's.
      if (l == 0 && t == 0 && !config_.train_perception) break;
      // din (N, I) = dout (N, O) x w^T (O, I).
      gemm(handle_, false, true, n, iw, ow, 1.0f, dout, ow, w, ow, 0.0f, din, iw);
      if (l > 0) relu_backward_inplace(n * size_t(iw), in, din, stream_);
      dout = din;
    }
    // A trained kernel: dK (9 C, P) += im2col(state_t)^T (9 C, N) x dperception_t (N, P).
    if (config_.train_perception)
      kernel_grad(batch, states + size_t(t) * sc, dperc_.get(), grad + layout_.perceive_kernel().offset);
    // dL/d state_t = dL/d state_{t+1} (identity path, already in dstate_) + the perception's
    // input gradient: conv3x3 of dperception with the flipped kernel, accumulated (beta = 1).
    if (t > 0) conv3x3(batch, config_.perception, config_.channels, dperc_.get(), flipped_.get(),
                       1.0f, dstate_.get());
  }
}

}  // namespace cuda
}  // namespace rrcnn
