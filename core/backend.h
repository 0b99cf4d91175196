// The seam between the application and the compute: one small interface, a CPU implementation
// in core/ and a CUDA one in gpu/. Public methods check shapes and preconditions once, then call
// the protected *_impl each backend overrides, so both get the same checks. Everything crosses
// the boundary as flat host vectors in the ParamLayout order.
// A backend owns one model (parameters + Adam state) and one live batch of cell states; it is
// not thread-safe: the app gives the trainer and the live view a backend each.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/brush.h"
#include "core/config.h"
#include "core/optimizer.h"
#include "core/param_layout.h"

namespace rrcnn {

struct TrainStepResult {
  float loss = 0;       // image MSE at the end of the rollout, before this update
  float grad_norm = 0;  // global L2 norm before clipping
  float lr = 0;         // learning rate this update used
  int64_t step = 0;     // optimiser updates applied after this one
};

class Backend {
 public:
  explicit Backend(const ModelConfig& config);
  virtual ~Backend() = default;
  Backend(const Backend&) = delete;
  Backend& operator=(const Backend&) = delete;

  virtual std::string name() const = 0;         // "cpu", "cuda"
  virtual std::string device_name() const = 0;  // "2 threads, openblas", "NVIDIA H100 ..."
  // Theoretical fp32 peak of the device in GFLOP/s, 0 when unknown (for `rrcnn bench`).
  virtual double peak_fp32_gflops() const { return 0.0; }
  // Blocks until queued device work is done (timing); a no-op on the CPU.
  virtual void synchronize() {}

  const ModelConfig& config() const { return config_; }
  const ParamLayout& layout() const { return layout_; }

  // ---- parameters and optimiser
  void set_params(const std::vector<float>& flat);  // throws on size mismatch or NaN/Inf
  std::vector<float> params() const;
  void set_adam_state(const AdamState& state);      // empty state = fresh optimiser
  AdamState adam_state() const;
  void set_train_config(const TrainConfig& tc);     // takes effect at the next update
  const TrainConfig& train_config() const { return train_; }

  // ---- live state: a batch of grids (B, H, W, C)
  // Zero state with the image channel set to the noisy digits. alpha in [0,1] fixes the noise
  // level; alpha < 0 draws one per sample as in training. Restarts the step counter.
  void reset(const std::vector<float>& clean, int batch, float alpha, uint64_t seed,
             uint32_t episode);
  // reset and set_state are transactional: when they throw (bad input, out of memory), the
  // backend still holds the previous batch, state and step counter, and step() runs on it.
  // Replaces the image channel only (new digits, hidden channels kept).
  void set_image_channel(const std::vector<float>& image);  // (B, H, W)
  void set_state(const std::vector<float>& state, int batch);  // (B, H, W, C)
  std::vector<float> state() const;                          // (B, H, W, C)
  std::vector<float> image() const;                          // (B, H, W) image channel
  int batch() const { return batch_; }
  int64_t live_step() const { return live_step_; }
  // Sets the live step counter (a fork from a kept step, together with set_state): the masks
  // drawn next are those of that step, so an untouched fork repeats the original bit for bit.
  void seek_live_step(int64_t step);
  // Dropout in the live view: the original keeps it on when running the trained model.
  void set_live_dropout(float rate);
  float live_dropout() const { return live_dropout_; }
  // Where the live dropout masks continue from: stream (seed, episode) at step `step`, as if
  // reset(..., seed, episode) had been followed by `step` steps. For a state set with set_state
  // (the Python module's rollouts) to draw the masks `rrcnn render` and `rrcnn eval` draw.
  void set_live_stream(uint64_t seed, uint32_t episode, int64_t step);
  // Advances the live batch n steps. With `image_trajectory`, appends the image channel after
  // each step (n x B x H x W floats).
  void step(int n, std::vector<float>* image_trajectory = nullptr);
  void brush(const BrushStroke& stroke);

  // ---- training
  // One optimiser step on clean digits (B, H, W): noise and masks drawn from (seed, episode),
  // config().rollout_steps steps, loss, BPTT, clipping, Adam with the schedule.
  TrainStepResult train_step(const std::vector<float>& clean, int batch, uint64_t seed,
                             uint32_t episode);
  // The loss and full-layout gradient for given inputs: init_state (B,H,W,C), clean (B,H,W),
  // masks (steps,B,H,W) or empty for no dropout. For parity tests and finite differences.
  float loss_and_grad(const std::vector<float>& init_state, const std::vector<float>& clean,
                      int batch, int steps, const std::vector<uint8_t>& masks,
                      std::vector<float>& grad, std::vector<float>* final_state = nullptr);
  // Clip + Adam with a given full-layout gradient.
  TrainStepResult apply_gradients(const std::vector<float>& grad);

 protected:
  virtual void set_params_impl(const std::vector<float>& flat) = 0;
  virtual std::vector<float> params_impl() const = 0;
  virtual void set_adam_state_impl(const AdamState& state) = 0;
  virtual AdamState adam_state_impl() const = 0;
  virtual void reset_impl(const std::vector<float>& clean, float alpha, uint64_t seed,
                          uint32_t episode) = 0;
  virtual void set_image_channel_impl(const std::vector<float>& image) = 0;
  virtual void set_state_impl(const std::vector<float>& state) = 0;
  virtual std::vector<float> state_impl() const = 0;
  virtual std::vector<float> image_impl() const;  // default: slice of state_impl()
  virtual void step_impl(int n, std::vector<float>* image_trajectory) = 0;
  virtual void brush_impl(const BrushStroke& stroke) = 0;
  virtual TrainStepResult train_step_impl(const std::vector<float>& clean, uint64_t seed,
                                          uint32_t episode) = 0;
  virtual float loss_and_grad_impl(const std::vector<float>& init_state,
                                   const std::vector<float>& clean, int batch, int steps,
                                   const uint8_t* masks, std::vector<float>& grad,
                                   std::vector<float>* final_state) = 0;
  virtual TrainStepResult apply_gradients_impl(const std::vector<float>& grad) = 0;

  class LiveCommit;  // commits the live batch's fields only when an *_impl succeeded

  size_t state_size(int batch) const { return size_t(batch) * config_.cells() * config_.channels; }
  size_t image_size(int batch) const { return size_t(batch) * config_.cells(); }

  ModelConfig config_;
  ParamLayout layout_;
  TrainConfig train_;
  int batch_ = 0;
  int64_t live_step_ = 0;
  float live_dropout_ = 0.5f;
  uint64_t live_seed_ = 0;
  uint32_t live_episode_ = 0;
};

enum class BackendKind { kAuto, kCpu, kCuda };
BackendKind parse_backend_kind(const std::string& name);  // "auto", "cpu", "cuda"

}  // namespace rrcnn
