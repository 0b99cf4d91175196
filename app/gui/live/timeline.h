// The live view's timeline: what the simulation worker records of the current rollout so the
// UI can look back inside it. Wraps core/rollout_history (image of every step, full state of
// the newest N steps) and adds what the studio draws from it: the clipped MSE of every digit at
// every step (the same per_sample_mse as `rrcnn eval --per-step`), the change map
// |s_t - s_(t-1)| summed over channels of every step whose image is kept, and a fork: the
// original rollout kept aside (images, curve, its last full state) while a branch runs from a
// kept step, until the user keeps one of them. The worker writes, the UI thread reads copies;
// one mutex, held only for copies. Off (the default is on), the worker never calls it. No GL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "core/rollout_history.h"

namespace rrcnn {

// The curves keep this many steps (the oldest tenth goes when an endless run passes it).
constexpr size_t kTimelineCurveSteps = size_t(1) << 18;
// Budgets of the image and change-map records (each): 16 MB is ~650 steps of the seed
// config's 8 digits; the curves (8 doubles a step) are kept for every step regardless.
constexpr size_t kTimelineImageBudget = size_t(16) << 20;
// The View setting's default: as many full steps as fit 256 MB with the image records.
constexpr size_t kTimelineDefaultTotal = size_t(256) << 20;

struct TimelineSettings {
  bool enabled = true;   // record the live rollout (off: the worker runs exactly as before)
  int full_steps = -1;   // full states kept (ring); < 0: the default for the batch (256 MB)
};

// The default ring size for a shape: what fits kTimelineDefaultTotal next to the image records.
int default_full_steps(const HistoryShape& shape);
// Bytes a setting costs for a shape: ring + image + change records.
size_t timeline_bytes(const HistoryShape& shape, int full_steps);

// One kept step, as the UI shows it.
struct TimelineFrame {
  int64_t step = -1;
  bool has_state = false;      // all channels kept (else only the image channel)
  std::vector<float> state;    // (B, H, W, C) when has_state
  std::vector<float> image;    // (B, H*W)
  std::vector<float> change;   // (B, H*W), empty at the rollout's first recorded step
  std::vector<double> mse;     // (B) clipped MSE against the target
};

// The error curves: mse[i][b] is digit b after step first + i.
struct TimelineCurve {
  uint64_t rewrite = 0;  // bumps when rows change other than by appending (the UI copies anew)
  int64_t first = 0;
  std::vector<std::vector<double>> mse;
  int64_t last() const { return first + int64_t(mse.size()) - 1; }
  bool has(int64_t step) const { return step >= first && step <= last(); }
};

struct TimelineInfo {
  bool enabled = false;
  bool empty = true;
  int64_t first = 0, last = 0, first_full = 0;  // kept steps (images), and with full states
  int full_capacity = 0;
  size_t bytes = 0;  // in use, the fork's original included
  bool has_target = true;
  bool forked = false;
  int64_t fork_step = 0, original_last = 0;
  uint64_t version = 0;  // bumps with every change
};

class LiveTimeline {
 public:
  // ---- the worker's side
  void configure(const TimelineSettings& s);  // takes effect at once (a smaller ring drops)
  bool enabled() const;
  // A new rollout (reset, new digits, blank canvas...): forgets the past and the fork, then
  // records `state` (B, H, W, C) as `step`. clean (B, H*W) scores every step when has_target.
  void restart(const HistoryShape& shape, const std::vector<float>& clean, bool has_target,
               int64_t step, const std::vector<float>& state);
  // The state after `step`, which follows the last recorded one (a brush stroke re-records
  // the newest step: `step` == last).
  void record(int64_t step, const std::vector<float>& state);
  // Fork at a kept step: the current rollout becomes the original (newest state `current`
  // after `current_step`), the record after `step` is dropped and the branch goes on from
  // there. Returns the full state to restart from; throws when it is not kept.
  std::vector<float> fork(int64_t step, const std::vector<float>& current, int64_t current_step);
  // Ends a fork. keep_original: the branch is dropped and *state / *step get the original's
  // newest state to resume from (returns true); else the original is dropped (returns false).
  bool keep(bool keep_original, std::vector<float>* state, int64_t* step);

  // ---- the UI's side (copies)
  TimelineInfo info() const;
  // The frame of `step` (clamped into the kept range); false when nothing is kept. Without
  // `with_state` the full state is not copied (has_state still says whether it is kept).
  bool frame(int64_t step, TimelineFrame* out, bool with_state = true) const;
  // The original's image and MSE at `step` (clamped), during a fork.
  bool original_frame(int64_t step, TimelineFrame* out) const;
  // Curves newer than *version (the branch's and, during a fork, the original's). Rows are
  // appended to *live when only new steps came since the last call; a rewrite copies all.
  bool curves(uint64_t* version, TimelineCurve* live, TimelineCurve* original) const;

 private:
  void push_locked(int64_t step, const std::vector<float>& state);
  void trim_changes_locked();
  void rewrite_locked() { curve_.rewrite = ++rewrites_; }

  mutable std::mutex mu_;
  TimelineSettings settings_;
  std::unique_ptr<RolloutHistory> history_;
  std::deque<std::vector<float>> changes_;  // changes_[i]: step history_->last_step() - size + 1 + i
  std::vector<float> prev_state_;           // the newest recorded state (the next change map)
  int64_t prev_step_ = -1;
  std::vector<float> clean_;
  bool has_target_ = true;
  TimelineCurve curve_;
  // The fork's original: images, curve and its newest full state.
  struct Original {
    std::unique_ptr<RolloutHistory> history;
    TimelineCurve curve;
    std::vector<float> last_state;
    int64_t last_step = 0;
  };
  std::unique_ptr<Original> original_;
  int64_t fork_step_ = 0;
  uint64_t version_ = 1, rewrites_ = 0;
};

}  // namespace rrcnn
