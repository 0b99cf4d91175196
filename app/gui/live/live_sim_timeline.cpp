// The live worker's side of the timeline (timeline.h): stepping one step at a time while the
// timeline (or a GIF) records, the fork and its end. With the timeline off, advance() is the
// one backend step(n) call the worker always made, so the live view costs what it did.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "gui/ab/ab_slot.h"
#include "gui/live/live_sim.h"

namespace rrcnn {

void LiveSim::advance(int n) {
  const bool timeline = timeline_.enabled();
  if (!record_active_ && !timeline) {
    backend_->step(n);
    if (ab_) ab_->step(n);
    return;
  }
  for (int i = 0; i < n; ++i) {
    backend_->step(1);
    if (ab_) ab_->step_recorded();
    if (record_active_) record_frame();
    if (timeline) timeline_.record(backend_->live_step(), backend_->state());
  }
}

void LiveSim::timeline_restart() {
  if (ab_) ab_->timeline_restart(clean_, has_target_);
  if (!timeline_.enabled() || backend_->batch() <= 0) return;
  const HistoryShape shape{backend_->batch(), config_.cells(), config_.channels};
  timeline_.restart(shape, clean_, has_target_, backend_->live_step(), backend_->state());
}

void LiveSim::timeline_record() {
  if (!timeline_.enabled()) return;
  timeline_.record(backend_->live_step(), backend_->state());
}

void LiveSim::apply_timeline(const SimCommand& c) {
  switch (c.op) {
    case SimOp::kFork: {
      if (ab_) ab_->check_fork(c.n);  // both fork or neither
      const std::vector<float> from = timeline_.fork(c.n, backend_->state(), backend_->live_step());
      backend_->set_state(from, batch_);
      backend_->seek_live_step(c.n);  // the branch draws the masks the original drew from here
      if (ab_) ab_->fork(c.n);
      break;
    }
    case SimOp::kForkKeep: {
      std::vector<float> state;
      int64_t step = 0;
      if (timeline_.keep(c.flag, &state, &step)) {
        backend_->set_state(state, batch_);
        backend_->seek_live_step(step);
      }
      if (ab_) ab_->keep(c.flag);
      break;
    }
    case SimOp::kSetTimeline: {
      const bool was = timeline_.enabled();
      timeline_.configure(c.timeline);
      if (ab_) {  // B keeps as many full states as A (its default would follow its own size)
        TimelineSettings b = c.timeline;
        if (b.full_steps < 0)
          b.full_steps = default_full_steps(HistoryShape{batch_, config_.cells(), config_.channels});
        ab_->configure_timeline(b);
      }
      if (c.timeline.enabled && !was) timeline_restart();  // the record starts here
      break;
    }
    default:
      break;
  }
}

}  // namespace rrcnn
