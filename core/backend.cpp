// Precondition checks shared by every backend (see backend.h).
#include "core/backend.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/error.h"
#include "core/size_limits.h"

namespace rrcnn {
namespace {

void check_finite(const std::vector<float>& v, const char* what) {
  for (size_t i = 0; i < v.size(); ++i)
    RRCNN_CHECK(std::isfinite(v[i]), what << ": element " << i << " is " << v[i]);
}

}  // namespace

// The live batch's bookkeeping is committed only when the implementation succeeded: the new
// values are in place while *_impl runs (implementations read batch_), and put back when it
// throws (out of memory for a bigger batch, a CUDA error), so the backend keeps describing the
// batch its buffers still hold and the next step() runs on it.
class Backend::LiveCommit {
 public:
  explicit LiveCommit(Backend& b)
      : b_(b), batch_(b.batch_), step_(b.live_step_), seed_(b.live_seed_),
        episode_(b.live_episode_) {}
  ~LiveCommit() {
    if (committed_) return;
    b_.batch_ = batch_;
    b_.live_step_ = step_;
    b_.live_seed_ = seed_;
    b_.live_episode_ = episode_;
  }
  LiveCommit(const LiveCommit&) = delete;
  LiveCommit& operator=(const LiveCommit&) = delete;
  void commit() { committed_ = true; }

 private:
  Backend& b_;
  int batch_;
  int64_t step_;
  uint64_t seed_;
  uint32_t episode_;
  bool committed_ = false;
};

Backend::Backend(const ModelConfig& config)
    : config_(config), layout_(config), live_dropout_(config.dropout_rate) {}

void Backend::set_params(const std::vector<float>& flat) {
  RRCNN_CHECK(flat.size() == layout_.total(), "parameters: got " << flat.size()
                                                  << " floats, the model needs " << layout_.total());
  check_finite(flat, "parameters");
  set_params_impl(flat);
}

std::vector<float> Backend::params() const { return params_impl(); }

void Backend::set_adam_state(const AdamState& state) {
  if (!state.empty()) {
    RRCNN_CHECK(state.mu.size() == layout_.trained_count() && state.nu.size() == state.mu.size(),
                "Adam state: got " << state.mu.size() << "/" << state.nu.size()
                                   << " moments, the model trains " << layout_.trained_count());
    RRCNN_CHECK(state.step >= 0, "Adam state: negative step count " << state.step);
  }
  set_adam_state_impl(state);
}

AdamState Backend::adam_state() const { return adam_state_impl(); }

void Backend::set_train_config(const TrainConfig& tc) {
  tc.validate();
  train_ = tc;
}

void Backend::reset(const std::vector<float>& clean, int batch, float alpha, uint64_t seed,
                    uint32_t episode) {
  RRCNN_CHECK(batch >= 1, "reset: batch must be at least 1, got " << batch);
  check_product_batch(config_, batch, "reset");
  RRCNN_CHECK(clean.size() == image_size(batch),
              "reset: got " << clean.size() << " pixels, expected " << image_size(batch) << " ("
                            << batch << " digits of " << config_.height << "x" << config_.width
                            << ")");
  check_finite(clean, "reset: clean digits");
  LiveCommit commit(*this);
  batch_ = batch;
  live_step_ = 0;
  live_seed_ = seed;
  live_episode_ = episode;
  reset_impl(clean, alpha, seed, episode);
  commit.commit();
}

void Backend::set_image_channel(const std::vector<float>& image) {
  RRCNN_CHECK(batch_ > 0, "set_image_channel: no live batch yet (call reset first)");
  RRCNN_CHECK(image.size() == image_size(batch_),
              "set_image_channel: got " << image.size() << " pixels, expected " << image_size(batch_));
  check_finite(image, "set_image_channel");
  set_image_channel_impl(image);
}

void Backend::set_state(const std::vector<float>& state, int batch) {
  RRCNN_CHECK(batch >= 1, "set_state: batch must be at least 1, got " << batch);
  check_product_batch(config_, batch, "set_state");
  RRCNN_CHECK(state.size() == state_size(batch),
              "set_state: got " << state.size() << " floats for batch " << batch << ", expected "
                                << state_size(std::max(batch, 1)));
  check_finite(state, "set_state");
  LiveCommit commit(*this);
  batch_ = batch;
  set_state_impl(state);
  commit.commit();
}

std::vector<float> Backend::state() const {
  RRCNN_CHECK(batch_ > 0, "state: no live batch yet (call reset first)");
  return state_impl();
}

std::vector<float> Backend::image() const {
  RRCNN_CHECK(batch_ > 0, "image: no live batch yet (call reset first)");
  return image_impl();
}

std::vector<float> Backend::image_impl() const {
  const std::vector<float> s = state_impl();
  std::vector<float> img(image_size(batch_));
  const int c = config_.channels;
  for (size_t i = 0; i < img.size(); ++i) img[i] = s[i * c + c - 1];
  return img;
}

void Backend::seek_live_step(int64_t step) {
  RRCNN_CHECK(batch_ > 0, "seek_live_step: no live batch yet (call reset first)");
  RRCNN_CHECK(step >= 0 && step <= int64_t(UINT32_MAX), "seek_live_step: step " << step << " is out of range");
  live_step_ = step;
}

void Backend::set_live_dropout(float rate) {
  RRCNN_CHECK(rate >= 0.0f && rate < 1.0f, "dropout rate " << rate << " must be in [0, 1)");
  live_dropout_ = rate;
}

void Backend::set_live_stream(uint64_t seed, uint32_t episode, int64_t step) {
  RRCNN_CHECK(step >= 0 && step <= int64_t(UINT32_MAX), "live stream: step " << step << " out of range");
  live_seed_ = seed;
  live_episode_ = episode;
  live_step_ = step;
}

void Backend::step(int n, std::vector<float>* image_trajectory) {
  RRCNN_CHECK(batch_ > 0, "step: no live batch yet (call reset first)");
  RRCNN_CHECK(n >= 0, "step: negative step count " << n);
  if (n == 0) return;
  step_impl(n, image_trajectory);
  live_step_ += n;
}

void Backend::brush(const BrushStroke& stroke) {
  RRCNN_CHECK(batch_ > 0, "brush: no live batch yet (call reset first)");
  RRCNN_CHECK(stroke.sample >= -1 && stroke.sample < batch_,
              "brush: sample " << stroke.sample << " outside the batch of " << batch_);
  RRCNN_CHECK(stroke.radius >= 0 && std::isfinite(stroke.radius) && std::isfinite(stroke.x0) &&
                  std::isfinite(stroke.y0) && std::isfinite(stroke.x1) && std::isfinite(stroke.y1),
              "brush: stroke has non-finite coordinates or a negative radius");
  brush_impl(stroke);
}

TrainStepResult Backend::train_step(const std::vector<float>& clean, int batch, uint64_t seed,
                                    uint32_t episode) {
  RRCNN_CHECK(batch >= 1, "train_step: batch must be at least 1, got " << batch);
  check_product_batch(config_, batch, "train_step");
  RRCNN_CHECK(clean.size() == image_size(batch),
              "train_step: got " << clean.size() << " pixels for batch " << batch << ", expected "
                                 << image_size(std::max(batch, 1)));
  return train_step_impl(clean, seed, episode);
}

float Backend::loss_and_grad(const std::vector<float>& init_state, const std::vector<float>& clean,
                             int batch, int steps, const std::vector<uint8_t>& masks,
                             std::vector<float>& grad, std::vector<float>* final_state) {
  RRCNN_CHECK(batch >= 1, "loss_and_grad: batch must be at least 1, got " << batch);
  check_product_batch(config_, batch, "loss_and_grad");
  RRCNN_CHECK(init_state.size() == state_size(batch),
              "loss_and_grad: init state has " << init_state.size() << " floats, expected "
                                               << state_size(std::max(batch, 1)));
  RRCNN_CHECK(clean.size() == image_size(batch),
              "loss_and_grad: clean has " << clean.size() << " pixels, expected " << image_size(batch));
  RRCNN_CHECK(steps >= 1, "loss_and_grad: needs at least one step");
  RRCNN_CHECK(masks.empty() || masks.size() == size_t(steps) * image_size(batch),
              "loss_and_grad: masks have " << masks.size() << " flags, expected "
                                           << size_t(steps) * image_size(batch));
  grad.assign(layout_.total(), 0.0f);
  if (final_state) final_state->assign(state_size(batch), 0.0f);
  return loss_and_grad_impl(init_state, clean, batch, steps, masks.empty() ? nullptr : masks.data(),
                            grad, final_state);
}

TrainStepResult Backend::apply_gradients(const std::vector<float>& grad) {
  RRCNN_CHECK(grad.size() == layout_.total(),
              "apply_gradients: got " << grad.size() << " floats, expected " << layout_.total());
  check_finite(grad, "apply_gradients: gradient");
  return apply_gradients_impl(grad);
}

BackendKind parse_backend_kind(const std::string& name) {
  if (name == "auto") return BackendKind::kAuto;
  if (name == "cpu") return BackendKind::kCpu;
  if (name == "cuda") return BackendKind::kCuda;
  RRCNN_FAIL("unknown backend '" << name << "' (choose auto, cpu or cuda)");
}

}  // namespace rrcnn
