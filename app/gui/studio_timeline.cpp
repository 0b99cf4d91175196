// The studio's side of the timeline, the error curves and the dropout uncertainty: which step
// the window shows (the live batch, or a kept step composed from the timeline), the per-frame
// copies the panels read, and the commands. The record itself is the live worker's
// (live/timeline.h); the dropout rollouts run on their own worker (live/mc_worker.h).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/mc_dropout.h"
#include "gui/studio.h"

namespace rrcnn {
namespace {

// Versions of composed snapshots: never a live snapshot's (those count up from 1).
constexpr uint64_t kComposedVersion = uint64_t(1) << 62;

// Which rollout a dropout result belongs to: the same digits and noise draw.
uint64_t rollout_id(const SimSnapshot& s) {
  uint64_t h = s.noise_seed * 0x9E3779B97F4A7C15ull ^ (uint64_t(s.noise_episode) << 1);
  h ^= uint64_t(s.batch) << 40;
  h ^= s.has_target ? 1 : 0;
  return h;
}

}  // namespace

void Studio::fetch_live_snapshot() {
  TimelineUi& tl = st_.tl;
  if (!tl.scrubbed()) {
    if (st_.snap.from_history) st_.snap.version = 0;  // back to the live batch: copy it again
    sim_->fetch(&st_.snap);
    return;
  }
  if (!st_.snap.from_history && live_snap_.version != st_.snap.version) live_snap_ = st_.snap;
  const bool live_changed = sim_->fetch(&live_snap_);
  const TimelineInfo info = sim_->timeline().info();
  if (!info.enabled || info.empty) {
    tl.shown = -1;
    st_.snap = live_snap_;
    return;
  }
  tl.shown = std::clamp(tl.shown, info.first, info.last);
  if (!st_.snap.from_history || live_changed || composed_step_ != tl.shown ||
      composed_info_ != info.version) {
    TimelineFrame f;
    if (sim_->timeline().frame(tl.shown, &f)) {
      compose_history_snapshot(live_snap_, f, kComposedVersion + ++composed_serial_, &st_.snap);
      composed_step_ = tl.shown;
      composed_info_ = info.version;
    }
  }
}

void Studio::poll_timeline() {
  TimelineUi& tl = st_.tl;
  const LiveTimeline& timeline = sim_->timeline();
  tl.info = timeline.info();
  timeline.curves(&curves_version_, &tl.curve, &tl.original);
  tl.horizon = st_.model.config.rollout_steps;
  tl.step_bytes = HistoryShape{st_.snap.batch, st_.snap.height * st_.snap.width, st_.snap.channels}
                      .state_bytes();
  // Playing resumes from the newest step.
  if (st_.pacing.playing && tl.scrubbed()) {
    tl.shown = -1;
    fetch_live_snapshot();
  }
  tl.shown_step = st_.snap.step;
  TimelineFrame f;
  tl.change.clear();
  tl.shown_has_state = !tl.scrubbed();
  if (tl.info.enabled && !tl.info.empty && timeline.frame(st_.snap.step, &f, false) &&
      f.step == st_.snap.step) {
    tl.change = std::move(f.change);
    tl.shown_has_state = f.has_state;
  }
  original_frame_ = TimelineFrame{};
  tl.original_mse.clear();
  if (tl.info.forked && timeline.original_frame(st_.snap.step, &original_frame_))
    tl.original_mse = original_frame_.mse;

  tl.mc = mc_->progress();
  McResult r;
  if (mc_->take(&r)) {
    tl.mc_result = std::move(r);
    tl.mc_ready = true;
  }
  tl.mc_stale = tl.mc_ready && (tl.mc_result.rollout_id != rollout_id(st_.snap) ||
                                tl.mc_result.batch != st_.snap.batch);
  timeline_tiles_.update(&st_, tl.info.forked ? &original_frame_ : nullptr);
}

bool Studio::apply_timeline(const Command& c) {
  TimelineUi& tl = st_.tl;
  switch (c.kind) {
    case Cmd::kTimelineSeek: {
      if (c.n < 0 || !tl.info.enabled || tl.info.empty || c.n >= tl.info.last) {
        tl.shown = -1;
      } else {
        if (st_.pacing.playing) {  // looking back pauses the live view
          st_.pacing.playing = false;
          sim_->set_pacing(st_.pacing);
        }
        tl.shown = std::max<int64_t>(c.n, tl.info.first);
      }
      fetch_live_snapshot();
      return true;
    }
    case Cmd::kTimelineFork: {
      RRCNN_CHECK(tl.info.enabled && !tl.info.empty,
                  "fork: the timeline is off (View > Timeline keeps the rollout's past)");
      if (st_.pacing.playing) {
        st_.pacing.playing = false;
        sim_->set_pacing(st_.pacing);
      }
      SimCommand s{SimOp::kFork};
      s.n = c.n;
      sim_->post(s);
      sim_->sync();  // the branch's first state shows with this frame's commands
      tl.shown = -1;
      fetch_live_snapshot();
      if (!sim_->timeline().info().forked) return true;  // refused: the worker's error says why
      if (st_.view.inspect != InspectView::kOriginal) {
        fork_inspect_ = st_.view.inspect;
        st_.view.inspect = InspectView::kOriginal;  // the original beside the branch
      }
      notice("forked at step " + std::to_string(c.n) +
             ": the branch runs on, the original shows in the 4th tile and as the dashed curve");
      fetch_live_snapshot();
      return true;
    }
    case Cmd::kTimelineKeep: {
      SimCommand s{SimOp::kForkKeep};
      s.flag = c.flag;
      sim_->post(s);
      sim_->sync();
      tl.shown = -1;
      if (st_.view.inspect == InspectView::kOriginal) st_.view.inspect = fork_inspect_;
      notice(c.flag ? "kept the original rollout" : "kept the branch");
      fetch_live_snapshot();
      return true;
    }
    case Cmd::kSetTimeline: {
      TimelineView v = c.timeline;
      v.mc_k = std::clamp(v.mc_k, 1, kMaxMcRollouts);
      v.settings.full_steps = std::min(v.settings.full_steps, 100000);
      const bool worker = v.settings.enabled != tl.view.settings.enabled ||
                          v.settings.full_steps != tl.view.settings.full_steps;
      tl.view = v;
      if (worker) {
        SimCommand s{SimOp::kSetTimeline};
        s.timeline = v.settings;
        sim_->post(s);
        if (!v.settings.enabled) tl.shown = -1;
      }
      return true;
    }
    case Cmd::kMcStart: {
      const SimSnapshot& snap = st_.snap.from_history ? live_snap_ : st_.snap;
      McRequest r;
      r.config = st_.model.config;
      r.params = std::make_shared<const std::vector<float>>(params_);
      r.dropout = std::min(st_.noise.dropout, 0.95f);
      r.batch = snap.batch;
      r.k = c.n > 0 ? c.n : tl.view.mc_k;
      r.steps = st_.pacing.endless ? std::max<int>(int(snap.step), st_.model.config.rollout_steps)
                                   : st_.pacing.rollout_length;
      r.clean = snap.clean;
      r.has_target = snap.has_target;
      r.noisy = snap.noisy;
      r.seed = snap.noise_seed;
      r.episode = snap.noise_episode;
      r.rollout_id = rollout_id(snap);
      mc_->start(std::move(r));
      tl.mc = mc_->progress();
      return true;
    }
    case Cmd::kMcCancel:
      mc_->cancel();
      return true;
    case Cmd::kBrush:
      // Painting on an older step forks there first: the stroke goes to the branch.
      if (tl.scrubbed() && tl.shown < tl.info.last) {
        if (!tl.shown_has_state) {  // not on the newest step behind the user's back
          notice("step " + std::to_string(tl.shown) +
                 " keeps only its image: painting forks from a step with all channels kept "
                 "(View > Timeline: more full steps)");
          return true;
        }
        Command f{Cmd::kTimelineFork};
        f.n = int(tl.shown);
        apply_timeline(f);
      }
      return false;
    case Cmd::kStep:
      // While looking back, Step walks the kept steps first.
      if (tl.scrubbed() && tl.shown < tl.info.last) {
        Command s{Cmd::kTimelineSeek};
        s.n = int(tl.shown + std::max(c.n, 1));
        return apply_timeline(s);
      }
      return false;
    case Cmd::kReset:
    case Cmd::kNewDigits:
    case Cmd::kNewNoise:
    case Cmd::kBlank:
    case Cmd::kAddNoise:
      tl.shown = -1;  // a new rollout: back to the live batch
      return false;
    default:
      return false;
  }
}

}  // namespace rrcnn
