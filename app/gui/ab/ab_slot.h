// The live worker's B model (A/B, ab_state.h): its own backend and timeline, driven by
// LiveSim in lockstep with A. Every call mirrors one LiveSim makes on A's backend with the same
// arguments (reset with the same digits, noise level, seed and episode; the same strokes; the
// same live dropout rate), so both draw the same noise and the same per-cell dropout masks at
// every step, and B's trajectory is exactly the one it would have alone. Worker thread only,
// except the timeline, which the UI reads through its own lock. No GL.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/backend.h"
#include "core/brush.h"
#include "gui/ab/ab_state.h"
#include "gui/live/timeline.h"

namespace rrcnn {

class AbSlot {
 public:
  // `timeline` is shared with the UI (B's error curves and kept images).
  AbSlot(std::unique_ptr<Backend> backend, std::shared_ptr<LiveTimeline> timeline);

  const ModelConfig& config() const { return backend_->config(); }
  const Backend& backend() const { return *backend_; }
  // Throws when B cannot run beside A: another grid (digits, noise and masks are per cell).
  void check_compatible(const ModelConfig& a) const;

  void reset(const std::vector<float>& clean, int batch, float alpha, uint64_t seed,
             uint32_t episode);
  void set_image_channel(const std::vector<float>& image);
  void set_live_dropout(float rate) { backend_->set_live_dropout(rate); }
  void step(int n);  // unrecorded (A's fast path)
  void step_recorded();  // one step, recorded when the timeline is on
  void brush(const BrushStroke& stroke);

  // The timeline, as A's: the same settings, restarted and forked with it.
  void configure_timeline(const TimelineSettings& s);
  void timeline_restart(const std::vector<float>& clean, bool has_target);
  // Throws (before A forks) when B's ring no longer holds that step's full state.
  void check_fork(int64_t step) const;
  void fork(int64_t step);
  void keep(bool keep_original);

  // B's part of a snapshot, scored against `clean` (B, H*W) like A.
  std::shared_ptr<const AbFrame> frame(const std::vector<float>& clean, bool has_target) const;

 private:
  void record();

  std::unique_ptr<Backend> backend_;
  std::shared_ptr<LiveTimeline> timeline_;
};

}  // namespace rrcnn
