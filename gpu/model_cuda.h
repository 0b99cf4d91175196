// The whole RRCNN on the GPU (internal to gpu/): one live step and the loss with its gradient by
// backpropagation through time, the device twin of core/reference/model.{h,cpp}, built from the kernels of
// ops_cuda.h and cuBLAS products. Only enqueues work on one stream; never synchronises, so a
// caller can capture any of it into a CUDA graph.
// Memory policy for BPTT, as core/reference/model.cpp: every step's state, perception and hidden layers
// are kept ((T+1) N C + T N (P + sum K) floats, about 0.6 GB for the seed config with B = 8,
// T = 64), so the backward pass recomputes nothing; the updates are not kept. Storage only
// grows; generation() changes whenever a pointer moved (captured graphs must then be redone).
#pragma once

#include <cstddef>
#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <cstdint>
#include <vector>

#include "core/config.h"
#include "core/param_layout.h"
#include "gpu/device_buffer.h"
#include "gpu/ops_cuda.h"

namespace rrcnn {
namespace cuda {

class CudaModel {
 public:
  explicit CudaModel(const ModelConfig& config);

  // All work goes to `stream`; `handle` must already be bound to the same stream.
  void bind(cublasHandle_t handle, cudaStream_t stream) {
    handle_ = handle;
    stream_ = stream;
  }
  // Rebuilds the flipped perception kernel; call after the parameters changed.
  void on_params_changed(const float* params);
  uint64_t generation() const { return generation_; }

  // ---- live view
  void reserve_step(int batch);
  // One step in place: state <- state + step_size * dropout(update(state)). keep: (B, H, W)
  // device flags or nullptr (no dropout).
  void step(const float* params, int batch, float* state, const uint8_t* keep, float keep_prob);

  // ---- training
  void reserve_rollout(int batch, int steps);
  float* rollout_state(int t);  // state t of the rollout, (B, H, W, C); t = 0 is the input
  uint8_t* masks() { return masks_.get(); }   // (T, B, H, W) keep flags storage
  float* clean() { return clean_.get(); }     // (B, H, W) targets storage
  // Runs `steps` steps from rollout_state(0); args->loss_sum/loss get the image MSE against
  // `clean`, grad (full layout, OVERWRITTEN; a frozen kernel's entries are 0) dL/dparams.
  // masks: (T, B, H, W) or nullptr.
  void loss_and_grad(const float* params, int batch, int steps, const float* clean,
                     const uint8_t* masks, float keep_prob, float* grad, DeviceArgs* args);

 private:
  // out (N, out_ch) = conv3x3(src (N, in_ch)) + beta * out, kernel (3, 3, in_ch, out_ch):
  // im2col in blocks of cells + one GEMM per block.
  void conv3x3(int batch, int in_ch, int out_ch, const float* src, const float* kernel,
               float beta, float* out);
  // dkernel (3, 3, C, P) += the perception kernel's gradient for state (N, C) and
  // dperception (N, P) (ModelConfig::train_perception).
  void kernel_grad(int batch, const float* state, const float* dperception, float* dkernel);
  // The update MLP of n cells: hidden[l] (n, K_l) after relu, update (n, C).
  void mlp_forward(const float* params, size_t n, const float* perception,
                   const std::vector<float*>& hidden, float* update);
  template <typename T>
  void grow(DeviceBuffer<T>& buf, size_t count) {
    if (buf.reserve(count, stream_)) ++generation_;
  }
  void reserve_common(size_t cells);

  ModelConfig config_;
  ParamLayout layout_;
  cublasHandle_t handle_ = nullptr;
  cudaStream_t stream_ = nullptr;
  uint64_t generation_ = 0;

  DeviceBuffer<float> flipped_;  // (3, 3, P, C)
  DeviceBuffer<float> cols_;     // im2col block, (block cells, 9 max(C, P))
  DeviceBuffer<float> update_;   // (N, C)
  // Live step activations.
  DeviceBuffer<float> perception_;
  std::vector<DeviceBuffer<float>> hidden_;
  // BPTT storage and backward scratch.
  DeviceBuffer<float> states_, perceptions_, clean_;
  std::vector<DeviceBuffer<float>> hiddens_;
  DeviceBuffer<uint8_t> masks_;
  DeviceBuffer<float> dstate_, dupdate_, dact_, dact2_, dperc_, column_partials_;
  DeviceBuffer<double> loss_partials_;
  size_t rollout_cells_ = 0;  // N of the reserved rollout storage, for rollout_state()
};

}  // namespace cuda
}  // namespace rrcnn
