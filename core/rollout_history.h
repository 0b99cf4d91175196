// The past of a live rollout, so a user can look back inside it: the image channel of every
// step (cheap: B*H*W floats a step) and the full state, all channels, of the newest steps in a
// ring (B*H*W*C floats a step: 1.6 MB for the seed config's 8 digits). Both are bounded by
// byte budgets; when a bound is reached the oldest steps go first. Plain host memory, filled
// from what the backend already hands out, so it works the same for every backend.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace rrcnn {

struct HistoryShape {
  int batch = 0;
  int cells = 0;     // H * W
  int channels = 0;  // C (the image channel is the last, as in ModelConfig)
  size_t image_floats() const { return size_t(batch) * cells; }
  size_t state_floats() const { return image_floats() * channels; }
  size_t image_bytes() const { return image_floats() * sizeof(float); }
  size_t state_bytes() const { return state_floats() * sizeof(float); }
};

class RolloutHistory {
 public:
  // full_budget_bytes bounds the ring of full states (0: none kept); image_budget_bytes bounds
  // the per-step images (at least one step is always kept).
  RolloutHistory(HistoryShape shape, size_t full_budget_bytes, size_t image_budget_bytes);

  // How many full steps a budget holds for this shape, and what N full steps cost: what the
  // View settings show next to the slider.
  static int full_steps_for_budget(const HistoryShape& shape, size_t budget_bytes);
  static size_t bytes_for_full_steps(const HistoryShape& shape, int steps);

  const HistoryShape& shape() const { return shape_; }
  int full_capacity() const { return full_capacity_; }
  int image_capacity() const { return image_capacity_; }
  // Changes the ring's size; keeps the newest full states that still fit.
  void set_full_budget(size_t bytes);

  // Forgets everything (a new rollout, a reset, other digits).
  void clear();
  // Records the state (B, H, W, C) after `step`. Steps must follow each other (step ==
  // last_step() + 1) unless the history is empty; a gap or a step back throws, since the
  // timeline would otherwise show a state under the wrong step number.
  void push(int64_t step, const float* state);
  // Drops every step after `step` (a fork restarts from there; a shape change empties).
  void truncate_after(int64_t step);

  bool empty() const { return images_.empty(); }
  int64_t first_step() const { return first_image_step_; }  // oldest step with an image
  int64_t last_step() const { return first_image_step_ + int64_t(images_.size()) - 1; }
  int64_t first_full_step() const { return last_step() - int64_t(states_.size()) + 1; }
  bool has_image(int64_t step) const { return !empty() && step >= first_step() && step <= last_step(); }
  bool has_state(int64_t step) const {
    return !states_.empty() && step >= first_full_step() && step <= last_step();
  }
  // (B, H, W) image channel / (B, H, W, C) state after `step`; throws when not kept.
  const std::vector<float>& image(int64_t step) const;
  const std::vector<float>& state(int64_t step) const;
  // The closest kept step to `step` (clamped to the kept range); for a scrub slider.
  int64_t clamp_step(int64_t step) const;

  size_t bytes() const;  // memory in use by images and states
  // A copy of the kept images without the full states (a fork's original is only looked at).
  RolloutHistory images_only() const;

 private:
  HistoryShape shape_;
  int full_capacity_ = 0;
  int image_capacity_ = 1;
  int64_t first_image_step_ = 0;
  std::deque<std::vector<float>> images_;  // images_[i] is step first_image_step_ + i
  std::deque<std::vector<float>> states_;  // the newest states_.size() steps, oldest first
};

}  // namespace rrcnn
