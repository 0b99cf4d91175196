// CPU backend: live stepping, brush edits and training steps on host buffers.
#include "core/cpu_backend.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/cell_math.h"
#include "core/error.h"
#include "core/gemm.h"
#include "core/init.h"
#include "core/noise.h"
#include "core/parallel.h"

namespace rrcnn {

std::vector<float> initial_state(const ModelConfig& config, const std::vector<float>& image) {
  std::vector<float> s(image.size() * config.channels, 0.0f);
  for (size_t i = 0; i < image.size(); ++i) s[i * config.channels + config.image_channel()] = image[i];
  return s;
}

CpuBackend::CpuBackend(const ModelConfig& config) : Backend(config), model_(config) {
  params_ = init_params(layout_, 0);
}

std::string CpuBackend::device_name() const {
  std::ostringstream os;
  os << num_threads() << " threads, " << gemm_library();
  return os.str();
}

void CpuBackend::reset_impl(const std::vector<float>& clean, float alpha, uint64_t seed,
                            uint32_t episode) {
  noisy_.resize(clean.size());
  make_noisy_batch(clean.data(), batch_, config_.cells(), alpha, seed, episode, noisy_.data());
  state_ = initial_state(config_, noisy_);
}

void CpuBackend::set_image_channel_impl(const std::vector<float>& image) {
  const int c = config_.channels;
  for (size_t i = 0; i < image.size(); ++i) state_[i * c + c - 1] = image[i];
}

void CpuBackend::step_impl(int n, std::vector<float>* image_trajectory) {
  const int cells = config_.cells();
  const float rate = live_dropout_;
  masks_.resize(size_t(batch_) * cells);
  next_.resize(state_.size());
  for (int i = 0; i < n; ++i) {
    const uint32_t t = uint32_t(live_step_ + i);
    if (rate > 0.0f) make_keep_masks(batch_, cells, t, 1, rate, live_seed_, live_episode_, masks_.data());
    model_.step(params_.data(), batch_, state_.data(), rate > 0.0f ? masks_.data() : nullptr,
                1.0f - rate, next_.data());
    state_.swap(next_);
    if (image_trajectory) {
      const int c = config_.channels;
      for (size_t k = 0; k < size_t(batch_) * cells; ++k)
        image_trajectory->push_back(state_[k * c + c - 1]);
    }
  }
}

void CpuBackend::brush_impl(const BrushStroke& stroke) {
  const int c_n = config_.channels, h = config_.height, w = config_.width;
  const int b0 = stroke.sample < 0 ? 0 : stroke.sample;
  const int b1 = stroke.sample < 0 ? batch_ : stroke.sample + 1;
  const RngKey key = rng_key(live_seed_, RngStream::kBrush);
  for (int b = b0; b < b1; ++b)
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        if (!brush_covers(stroke, x, y)) continue;
        const size_t cell = (size_t(b) * h + y) * w + x;
        float* s = state_.data() + cell * c_n;
        switch (stroke.mode) {
          case BrushMode::kDraw:
            s[c_n - 1] = std::max(s[c_n - 1], stroke.strength);
            break;
          case BrushMode::kErase:
            std::fill(s, s + c_n, 0.0f);
            break;
          case BrushMode::kNoise: {
            const Philox4 r = rng_draw(key, stroke.serial, 0, uint32_t(b), uint32_t(y * w + x));
            s[c_n - 1] += stroke.strength * rng_normal(r.v[0], r.v[1]);
            break;
          }
        }
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
  r.step = adam_.step;
  return r;
}

}  // namespace rrcnn
