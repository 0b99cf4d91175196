// The live view's timeline (see timeline.h).
#include "gui/live/timeline.h"

#include <algorithm>
#include <utility>

#include "core/error.h"
#include "core/metrics.h"
#include "core/rollout_stats.h"

namespace rrcnn {

int default_full_steps(const HistoryShape& shape) {
  const size_t images = 2 * kTimelineImageBudget;
  return RolloutHistory::full_steps_for_budget(shape, kTimelineDefaultTotal - images);
}

size_t timeline_bytes(const HistoryShape& shape, int full_steps) {
  return RolloutHistory::bytes_for_full_steps(shape, full_steps) + 2 * kTimelineImageBudget;
}

namespace {

int ring_steps(const TimelineSettings& s, const HistoryShape& shape) {
  return s.full_steps < 0 ? default_full_steps(shape) : s.full_steps;
}

}  // namespace

void LiveTimeline::configure(const TimelineSettings& s) {
  std::lock_guard<std::mutex> lock(mu_);
  settings_ = s;
  if (!s.enabled) {
    history_.reset();
    changes_.clear();
    prev_state_.clear();
    prev_step_ = -1;
    curve_ = TimelineCurve{};
    rewrite_locked();
    original_.reset();
  } else if (history_) {
    const HistoryShape& sh = history_->shape();
    history_->set_full_budget(RolloutHistory::bytes_for_full_steps(sh, ring_steps(s, sh)));
  }
  ++version_;
}

bool LiveTimeline::enabled() const {
  std::lock_guard<std::mutex> lock(mu_);
  return settings_.enabled;
}

void LiveTimeline::restart(const HistoryShape& shape, const std::vector<float>& clean,
                           bool has_target, int64_t step, const std::vector<float>& state) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!settings_.enabled) return;
  history_ = std::make_unique<RolloutHistory>(
      shape, RolloutHistory::bytes_for_full_steps(shape, ring_steps(settings_, shape)),
      kTimelineImageBudget);
  changes_.clear();
  prev_state_.clear();
  prev_step_ = -1;
  clean_ = clean;
  has_target_ = has_target;
  curve_ = TimelineCurve{};
  curve_.first = step;
  rewrite_locked();
  original_.reset();
  push_locked(step, state);
}

void LiveTimeline::record(int64_t step, const std::vector<float>& state) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!settings_.enabled || !history_) return;
  push_locked(step, state);
}

void LiveTimeline::push_locked(int64_t step, const std::vector<float>& state) {
  const HistoryShape& sh = history_->shape();
  RRCNN_CHECK(state.size() == sh.state_floats(),
              "timeline: got " << state.size() << " floats, expected " << sh.state_floats());
  if (!history_->empty() && step == history_->last_step()) {
    // Re-recording the newest step (a brush stroke): it replaces what was recorded.
    history_->truncate_after(step - 1);
    if (!changes_.empty()) changes_.pop_back();
    if (!curve_.mse.empty()) curve_.mse.pop_back();
    rewrite_locked();
    if (history_->empty()) {  // the only step: no previous state to diff against
      prev_state_.clear();
      prev_step_ = -1;
    }
  }
  // The change map needs the previous step's full state: the one recorded last, or the ring's.
  std::vector<float> change;
  if (prev_step_ == step - 1 && !prev_state_.empty()) {
    change.resize(sh.image_floats());
    change_map(prev_state_.data(), state.data(), sh.batch, sh.cells, sh.channels, change.data());
  } else if (history_->has_state(step - 1)) {
    change.resize(sh.image_floats());
    change_map(history_->state(step - 1).data(), state.data(), sh.batch, sh.cells, sh.channels,
               change.data());
  }
  history_->push(step, state.data());
  changes_.push_back(std::move(change));
  trim_changes_locked();
  prev_state_ = state;
  prev_step_ = step;
  const std::vector<float>& img = history_->image(step);
  if (has_target_ && clean_.size() == img.size())
    curve_.mse.push_back(per_sample_mse(img.data(), clean_.data(), sh.batch, sh.cells));
  else
    curve_.mse.emplace_back();  // no target: the curve says so instead of plotting
  if (curve_.mse.size() > kTimelineCurveSteps) {
    const size_t drop = kTimelineCurveSteps / 10;
    curve_.mse.erase(curve_.mse.begin(), curve_.mse.begin() + drop);
    curve_.first += int64_t(drop);
    rewrite_locked();
  }
  ++version_;
}

void LiveTimeline::trim_changes_locked() {
  const size_t kept = size_t(history_->last_step() - history_->first_step() + 1);
  while (changes_.size() > kept) changes_.pop_front();
}

std::vector<float> LiveTimeline::fork(int64_t step, const std::vector<float>& current,
                                      int64_t current_step) {
  std::lock_guard<std::mutex> lock(mu_);
  RRCNN_CHECK(settings_.enabled && history_, "fork: the timeline is off (View > Timeline)");
  RRCNN_CHECK(history_->has_state(step),
              "fork: the full state of step "
                  << step << " is not kept (all channels are kept for steps "
                  << history_->first_full_step() << ".." << history_->last_step()
                  << "; a bigger ring in View > Timeline keeps more)");
  std::vector<float> from = history_->state(step);
  if (!original_) {  // a fork of a fork replaces the branch, the original stays
    original_ = std::make_unique<Original>();
    original_->history = std::make_unique<RolloutHistory>(history_->images_only());
    original_->curve = curve_;
    original_->last_state = current;
    original_->last_step = current_step;
    fork_step_ = step;
  } else {
    fork_step_ = std::min(fork_step_, step);
  }
  const int64_t drop = history_->last_step() - step;
  history_->truncate_after(step);
  for (int64_t i = 0; i < drop && !changes_.empty(); ++i) changes_.pop_back();
  if (curve_.has(step)) curve_.mse.resize(size_t(step - curve_.first + 1));
  rewrite_locked();
  prev_state_ = from;
  prev_step_ = step;
  ++version_;
  return from;
}

bool LiveTimeline::keep(bool keep_original, std::vector<float>* state, int64_t* step) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!original_) return false;
  std::unique_ptr<Original> o = std::move(original_);
  ++version_;
  rewrite_locked();
  if (!keep_original) return false;
  // The original resumes: its images and curve come back; its full states were not kept past
  // the fork (only the newest), so the ring restarts from there.
  const HistoryShape sh = history_->shape();
  history_ = std::make_unique<RolloutHistory>(std::move(*o->history));
  history_->set_full_budget(RolloutHistory::bytes_for_full_steps(sh, ring_steps(settings_, sh)));
  changes_.clear();
  // Change maps of the original past the fork are gone with the branch's record; the steps up
  // to the fork were shared. Rebuilt empty: they show "not kept" until new steps come.
  const size_t kept = size_t(history_->last_step() - history_->first_step() + 1);
  changes_.assign(kept, std::vector<float>{});
  curve_ = std::move(o->curve);
  rewrite_locked();
  prev_state_ = o->last_state;
  prev_step_ = o->last_step;
  // The newest full state is kept again, so a fork from the resumed original's last step works.
  if (history_->last_step() == o->last_step) {
    history_->truncate_after(o->last_step - 1);
    changes_.pop_back();
    curve_.mse.pop_back();
    push_locked(o->last_step, o->last_state);
  }
  *state = std::move(o->last_state);
  *step = o->last_step;
  return true;
}

TimelineInfo LiveTimeline::info() const {
  std::lock_guard<std::mutex> lock(mu_);
  TimelineInfo i;
  i.enabled = settings_.enabled;
  i.version = version_;
  i.has_target = has_target_;
  if (!history_ || history_->empty()) return i;
  i.empty = false;
  i.first = history_->first_step();
  i.last = history_->last_step();
  i.first_full = history_->first_full_step();
  i.full_capacity = history_->full_capacity();
  size_t change_bytes = 0;
  for (const auto& c : changes_) change_bytes += c.size() * sizeof(float);
  i.bytes = history_->bytes() + change_bytes;
  if (original_) {
    i.forked = true;
    i.fork_step = fork_step_;
    i.original_last = original_->last_step;
    i.bytes += original_->history->bytes() + original_->last_state.size() * sizeof(float);
  }
  return i;
}

bool LiveTimeline::frame(int64_t step, TimelineFrame* out, bool with_state) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!history_ || history_->empty()) return false;
  step = history_->clamp_step(step);
  out->step = step;
  out->image = history_->image(step);
  out->has_state = history_->has_state(step);
  if (out->has_state && with_state)
    out->state = history_->state(step);
  else
    out->state.clear();
  const size_t ci = size_t(step - (history_->last_step() - int64_t(changes_.size()) + 1));
  out->change = ci < changes_.size() ? changes_[ci] : std::vector<float>{};
  out->mse = curve_.has(step) ? curve_.mse[size_t(step - curve_.first)] : std::vector<double>{};
  return true;
}

bool LiveTimeline::original_frame(int64_t step, TimelineFrame* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!original_ || original_->history->empty()) return false;
  step = original_->history->clamp_step(step);
  out->step = step;
  out->image = original_->history->image(step);
  out->has_state = false;
  out->state.clear();
  out->change.clear();
  const TimelineCurve& c = original_->curve;
  out->mse = c.has(step) ? c.mse[size_t(step - c.first)] : std::vector<double>{};
  return true;
}

bool LiveTimeline::curves(uint64_t* version, TimelineCurve* live, TimelineCurve* original) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (*version == version_) return false;
  *version = version_;
  if (live->rewrite == curve_.rewrite && live->first == curve_.first &&
      live->mse.size() <= curve_.mse.size()) {
    // Only new steps since the last copy: append them (the UI copies a few rows a frame, not
    // the whole curve of a long run).
    live->mse.insert(live->mse.end(), curve_.mse.begin() + ptrdiff_t(live->mse.size()), curve_.mse.end());
  } else {
    *live = curve_;
  }
  if (!original_)
    *original = TimelineCurve{};
  else if (original->rewrite != curve_.rewrite || original->mse.size() != original_->curve.mse.size()) {
    *original = original_->curve;
    original->rewrite = curve_.rewrite;  // the original changes only with a rewrite
  }
  return true;
}

}  // namespace rrcnn
