// The CUDA implementation of the Backend (public header: no CUDA or GL types, so app/ and the
// tests include it from plain C++). Same layouts, same random numbers and the same results
// within float tolerance as the CPU backend; see cuda_backend.cpp for the memory and CUDA-graph
// policy. In a build without CUDA the class exists but its constructor throws rrcnn::Error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/backend.h"

namespace rrcnn {

// What the benchmark and the status line show about a device.
struct CudaDeviceInfo {
  int index = -1;
  std::string name;             // "NVIDIA H100 80GB HBM3"
  int cc_major = 0, cc_minor = 0;
  int sm_count = 0;
  int cores_per_sm = 0;         // FP32 lanes per SM for this architecture (0 when unknown)
  double clock_mhz = 0;         // peak SM clock
  double fp32_peak_gflops = 0;  // 2 (FMA) x cores_per_sm x sm_count x clock
  size_t memory_bytes = 0;
  int driver_version = 0, runtime_version = 0;  // e.g. 13000
  std::string summary() const;  // "NVIDIA H100 80GB HBM3 (sm 9.0, 132 SMs, 67 TFLOP/s fp32)"
};

// Information about CUDA device `device`; throws rrcnn::Error when there is none.
CudaDeviceInfo cuda_device_info(int device = 0);

// For the tests of transactional growth: the nth device allocation from now (1 = the next)
// fails as if the device were out of memory (cudaErrorMemoryAllocation); 0 cancels.
void cuda_fail_allocation_for_tests(int nth);

class CudaBackend final : public Backend {
 public:
  explicit CudaBackend(const ModelConfig& config, int device = 0);
  ~CudaBackend() override;

  std::string name() const override { return "cuda"; }
  std::string device_name() const override;
  double peak_fp32_gflops() const override;
  // Waits until all queued work has finished (step() and brush() return without waiting).
  void synchronize() override;
  const CudaDeviceInfo& info() const;
  int device() const;

  // ---- for the renderer (gpu/gl_interop.h)
  // The live state (B, H, W, C) floats on the device. Valid until the next reset/set_state
  // (which may reallocate); work on it is ordered on stream().
  const float* device_state() const;
  // The cudaStream_t all of this backend's work is queued on, as an opaque pointer.
  void* stream() const;

  // ---- numerics and execution policy
  // TF32 tensor-core products (about 10 bits of mantissa in the GEMM inputs): faster, less exact.
  // Off by default: plain FP32 so results match the CPU backend.
  void set_tf32(bool on);
  bool tf32() const;
  // CUDA graphs for the live step and the train step (default on). Off: the same kernels are
  // launched one by one (for debugging and for the tests that compare both paths).
  void set_use_graphs(bool on);
  bool use_graphs() const;
  // How many graphs were captured so far (a reallocation or a new shape captures again).
  int64_t graph_captures() const;

 protected:
  void set_params_impl(const std::vector<float>& flat) override;
  std::vector<float> params_impl() const override;
  void set_adam_state_impl(const AdamState& state) override;
  AdamState adam_state_impl() const override;
  void reset_impl(const std::vector<float>& clean, float alpha, uint64_t seed,
                  uint32_t episode) override;
  void set_image_channel_impl(const std::vector<float>& image) override;
  void set_state_impl(const std::vector<float>& state) override;
  std::vector<float> state_impl() const override;
  std::vector<float> image_impl() const override;
  void step_impl(int n, std::vector<float>* image_trajectory) override;
  void brush_impl(const BrushStroke& stroke) override;
  TrainStepResult train_step_impl(const std::vector<float>& clean, uint64_t seed,
                                  uint32_t episode) override;
  float loss_and_grad_impl(const std::vector<float>& init_state, const std::vector<float>& clean,
                           int batch, int steps, const uint8_t* masks, std::vector<float>& grad,
                           std::vector<float>* final_state) override;
  TrainStepResult apply_gradients_impl(const std::vector<float>& grad) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rrcnn
