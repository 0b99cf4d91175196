// The CPU implementation of the Backend: FastModel for the math (checked against the clear
// Model<float> of core/reference/model.h) on the thread pool. This is the reference every other backend is
// compared with.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/backend.h"
#include "core/fast_model.h"

namespace rrcnn {

class CpuBackend final : public Backend {
 public:
  // kernels: nullptr = the widest fp32 set (cpu_kernels_for_precision picks others).
  explicit CpuBackend(const ModelConfig& config, const CpuKernels* kernels = nullptr);
  // "fp32" or "bf16", from the kernels in use.
  std::string precision() const;
  std::string name() const override { return "cpu"; }
  std::string device_name() const override;

 protected:
  void set_params_impl(const std::vector<float>& flat) override {
    params_ = flat;
    model_.invalidate_perception();  // the perception kernel may have changed
  }
  std::vector<float> params_impl() const override { return params_; }
  void set_adam_state_impl(const AdamState& state) override { adam_ = state; }
  AdamState adam_state_impl() const override { return adam_; }
  void reset_impl(const std::vector<float>& clean, float alpha, uint64_t seed,
                  uint32_t episode) override;
  void set_image_channel_impl(const std::vector<float>& image) override;
  void set_state_impl(const std::vector<float>& state) override {
    state_ = state;
    model_.invalidate_perception();
  }
  std::vector<float> state_impl() const override { return state_; }
  void step_impl(int n, std::vector<float>* image_trajectory) override;
  void brush_impl(const BrushStroke& stroke) override;
  TrainStepResult train_step_impl(const std::vector<float>& clean, uint64_t seed,
                                  uint32_t episode) override;
  float loss_and_grad_impl(const std::vector<float>& init_state, const std::vector<float>& clean,
                           int batch, int steps, const uint8_t* masks, std::vector<float>& grad,
                           std::vector<float>* final_state) override;
  TrainStepResult apply_gradients_impl(const std::vector<float>& grad) override;

 private:
  FastModel model_;
  std::vector<float> params_, state_, grad_, init_, noisy_;
  std::vector<uint8_t> masks_;
  AdamState adam_;
};

// Initial state of a rollout: zeros with the image channel set to `image` (B, H, W).
std::vector<float> initial_state(const ModelConfig& config, const std::vector<float>& image);

}  // namespace rrcnn
