// Bounded history of a live rollout (see rollout_history.h). Deques of whole steps: a push
// allocates one step and the oldest is dropped, so memory stays within the budgets without a
// copy of the kept steps.
#include "core/rollout_history.h"

#include <algorithm>
#include <utility>

#include "core/error.h"

namespace rrcnn {

int RolloutHistory::full_steps_for_budget(const HistoryShape& shape, size_t budget_bytes) {
  const size_t per = shape.state_bytes();
  if (per == 0) return 0;
  return int(std::min<size_t>(budget_bytes / per, size_t(1) << 30));
}

size_t RolloutHistory::bytes_for_full_steps(const HistoryShape& shape, int steps) {
  return shape.state_bytes() * size_t(std::max(steps, 0));
}

RolloutHistory::RolloutHistory(HistoryShape shape, size_t full_budget_bytes, size_t image_budget_bytes)
    : shape_(shape) {
  RRCNN_CHECK(shape.batch > 0 && shape.cells > 0 && shape.channels > 0,
              "rollout history: bad shape (batch " << shape.batch << ", cells " << shape.cells
                                                   << ", channels " << shape.channels << ")");
  full_capacity_ = full_steps_for_budget(shape, full_budget_bytes);
  image_capacity_ = int(std::max<size_t>(1, std::min<size_t>(image_budget_bytes / shape.image_bytes(),
                                                             size_t(1) << 30)));
}

void RolloutHistory::set_full_budget(size_t bytes) {
  full_capacity_ = full_steps_for_budget(shape_, bytes);
  while (int(states_.size()) > full_capacity_) states_.pop_front();
}

void RolloutHistory::clear() {
  images_.clear();
  states_.clear();
  first_image_step_ = 0;
}

void RolloutHistory::push(int64_t step, const float* state) {
  RRCNN_CHECK(step >= 0, "rollout history: negative step " << step);
  RRCNN_CHECK(empty() || step == last_step() + 1,
              "rollout history: step " << step << " does not follow step " << last_step());
  if (empty()) first_image_step_ = step;
  const int c = shape_.channels;
  std::vector<float> img(shape_.image_floats());
  for (size_t i = 0; i < img.size(); ++i) img[i] = state[i * c + c - 1];
  images_.push_back(std::move(img));
  if (int(images_.size()) > image_capacity_) {
    images_.pop_front();
    ++first_image_step_;
  }
  if (full_capacity_ > 0) {
    states_.emplace_back(state, state + shape_.state_floats());
    if (int(states_.size()) > full_capacity_) states_.pop_front();
  }
}

void RolloutHistory::truncate_after(int64_t step) {
  if (empty() || step >= last_step()) return;
  if (step < first_step()) {
    clear();
    return;
  }
  const size_t drop = size_t(last_step() - step);
  images_.resize(images_.size() - drop);
  states_.resize(states_.size() > drop ? states_.size() - drop : 0);
}

const std::vector<float>& RolloutHistory::image(int64_t step) const {
  RRCNN_CHECK(has_image(step), "rollout history: step " << step << " is not kept (kept: "
                                                        << (empty() ? -1 : first_step()) << ".."
                                                        << (empty() ? -1 : last_step()) << ")");
  return images_[size_t(step - first_step())];
}

const std::vector<float>& RolloutHistory::state(int64_t step) const {
  RRCNN_CHECK(has_state(step), "rollout history: the full state of step "
                                   << step << " is not kept (kept: "
                                   << (states_.empty() ? -1 : first_full_step()) << ".."
                                   << (states_.empty() ? -1 : last_step()) << ")");
  return states_[size_t(step - first_full_step())];
}

int64_t RolloutHistory::clamp_step(int64_t step) const {
  if (empty()) return 0;
  return std::min(std::max(step, first_step()), last_step());
}

size_t RolloutHistory::bytes() const {
  return images_.size() * shape_.image_bytes() + states_.size() * shape_.state_bytes();
}

RolloutHistory RolloutHistory::images_only() const {
  RolloutHistory h(shape_, 0, size_t(image_capacity_) * shape_.image_bytes());
  h.images_ = images_;
  h.first_image_step_ = first_image_step_;
  return h;
}

}  // namespace rrcnn
