// CPU backend: live stepping, brush edits and training steps on host buffers.
#include "core/cpu_backend.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "core/cell_math.h"
#include "core/error.h"
#include "core/init.h"
#include "core/noise.h"
#include "core/parallel.h"

namespace rrcnn {

std::vector<float> initial_state(const ModelConfig& config, const std::vector<float>& image) {
  std::vector<float> s(image.size() * config.channels, 0.0f);
  for (size_t i = 0; i < image.size(); ++i) s[i * config.channels + config.image_channel()] = image[i];
  return s;
}

CpuBackend::CpuBackend(const ModelConfig& config, const CpuKernels* kernels)
    : Backend(config), model_(config, kernels) {
  params_ = init_params(layout_, 0);
}

std::string CpuBackend::device_name() const {
  std::ostringstream os;
  os << num_threads() << " threads, " << model_.kernels().isa << " kernels";
  return os.str();
}

std::string CpuBackend::precision() const {
  return std::string(model_.kernels().isa) == "avx512_bf16" ? "bf16" : "fp32";
}

void CpuBackend::reset_impl(const std::vector<float>& clean, float alpha, uint64_t seed,
                            uint32_t episode) {
  noisy_.resize(clean.size());
  make_noisy_batch(clean.data(), batch_, config_.cells(), alpha, seed, episode, noisy_.data());
  state_ = initial_state(config_, noisy_);
  model_.invalidate_perception();
}

void CpuBackend::set_image_channel_impl(const std::vector<float>& image) {
  const int c = config_.channels;
  for (size_t i = 0; i < image.size(); ++i) state_[i * c + c - 1] = image[i];
  model_.invalidate_perception();
}

void CpuBackend::step_impl(int n, std::vector<float>* image_trajectory) {
  FastModel::LiveDropout d;
  d.rate = live_dropout_;
  d.seed = live_seed_;
  d.episode = live_episode_;
  d.first_step = uint32_t(live_step_);
  float* traj = nullptr;
  if (image_trajectory) {
    const size_t old = image_trajectory->size();
    image_trajectory->resize(old + size_t(n) * batch_ * config_.cells());
    traj = image_trajectory->data() + old;
  }
  model_.rollout(params_.data(), batch_, state_.data(), n, d, traj);
}

void CpuBackend::brush_impl(const BrushStroke& stroke) {
  model_.invalidate_perception();
  const int c_n = config_.channels, h = config_.height, w = config_.width;
  const int b0 = stroke.sample < 0 ? 0 : stroke.sample;
  const int b1 = stroke.sample < 0 ? batch_ : stroke.sample + 1;
  const RngKey key = rng_key(live_seed_, RngStream::kBrush);
  for (int b = b0; b < b1; ++b)
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        if (!brush_covers(stroke, x, y)) continue;
        const size_t cell = (size_t(b) * h + y) * w + x;
        brush_apply_cell(stroke, key, b, x, y, w, c_n, state_.data() + cell * c_n);
      }
}

TrainStepResult CpuBackend::train_step_impl(const std::vector<float>& clean, uint64_t seed,
                                            uint32_t episode) {
  const int batch = int(clean.size() / config_.cells());
  const int steps = config_.rollout_steps;
  noisy_.resize(clean.size());
  make_noisy_batch(clean.data(), batch, config_.cells(), -1.0f, seed, episode, noisy_.data());
  init_ = initial_state(config_, noisy_);
  const float rate = config_.dropout_rate;
  masks_.resize(size_t(steps) * batch * config_.cells());
  if (rate > 0.0f) make_keep_masks(batch, config_.cells(), 0, steps, rate, seed, episode, masks_.data());
  grad_.assign(layout_.total(), 0.0f);
  const float loss = model_.loss_and_grad(params_.data(), batch, steps, init_.data(), clean.data(),
                                          rate > 0.0f ? masks_.data() : nullptr, 1.0f - rate,
                                          grad_.data());
  RRCNN_CHECK_DIVERGED(std::isfinite(loss), "training diverged: loss is "
                                                << loss << " at optimiser step " << adam_.step
                                                << " (lower the learning rate)");
  TrainStepResult r = apply_gradients_impl(grad_);
  r.loss = loss;
  return r;
}

float CpuBackend::loss_and_grad_impl(const std::vector<float>& init_state,
                                     const std::vector<float>& clean, int batch, int steps,
                                     const uint8_t* masks, std::vector<float>& grad,
                                     std::vector<float>* final_state) {
  return model_.loss_and_grad(params_.data(), batch, steps, init_state.data(), clean.data(), masks,
                              1.0f - config_.dropout_rate, grad.data(),
                              final_state ? final_state->data() : nullptr);
}

TrainStepResult CpuBackend::apply_gradients_impl(const std::vector<float>& grad) {
  const size_t off = layout_.trained_offset(), count = layout_.trained_count();
  std::vector<float> g(grad.begin() + off, grad.end());
  TrainStepResult r;
  const double norm = clip_by_global_norm(g.data(), count, train_.clip_norm);
  RRCNN_CHECK_DIVERGED(std::isfinite(norm), "training diverged: gradient norm is "
                                                << norm << " at optimiser step " << adam_.step
                                                << " (lower the learning rate)");
  r.grad_norm = float(norm);
  r.lr = learning_rate(train_, adam_.step);
  adam_update(train_, params_.data() + off, g.data(), count, adam_);
  if (config_.train_perception) model_.invalidate_perception();  // the kernel moved
  r.step = adam_.step;
  return r;
}

}  // namespace rrcnn
