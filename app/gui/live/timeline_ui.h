// What the panels read about the timeline, the error curves and the dropout uncertainty
// (gathered once per frame by the studio, studio_timeline.cpp), and the display choices they
// change with Cmd::kSetTimeline. No GL: the two textures are plain GL names.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/rollout_stats.h"
#include "gui/live/mc_worker.h"
#include "gui/live/timeline.h"

namespace rrcnn {

// The change map's shared colour scale (the same for every digit, every step, the 4th tile, the
// inspector and `rrcnn render --change`) is core/rollout_stats.h's change_unit.
// The std map's scale: 0..kStdHi (pixels live in [0, 1]; spreads past 0.08 saturate).
constexpr float kStdHi = 0.08f;

struct TimelineView {
  TimelineSettings settings;  // the worker's part: record or not, ring size
  bool show_curves = true;    // the Error curves window
  bool psnr = false;          // the curves in PSNR instead of MSE
  int mc_k = 16;              // dropout rollouts per run
};

struct TimelineUi {
  TimelineView view;
  TimelineInfo info;
  int64_t shown = -1;  // the step shown; -1: the newest (the live view plays on)
  bool shown_has_state = true;
  int64_t shown_step = 0;  // the step on screen (newest or shown)
  int horizon = 0;          // the model's training horizon (rollout_steps)
  size_t step_bytes = 0;    // one full step of the live batch
  TimelineCurve curve, original;  // the rollout's (branch's) and, during a fork, the original's
  std::vector<float> change;      // (B, H*W) at the shown step; empty: not kept
  std::vector<double> original_mse;  // (B) the fork's original at the shown step
  McProgress mc;
  bool mc_ready = false;   // a result for the digits on screen
  bool mc_stale = false;   // ... of an earlier rollout (other digits or noise)
  McResult mc_result;
  uint32_t change_texture = 0;  // GL name: the change-map strip (inspector)
  uint32_t tile_texture = 0;    // GL name: the 4th tile when it shows a timeline view
  bool scrubbed() const { return shown >= 0; }
};

}  // namespace rrcnn

namespace rrcnn {

struct SimSnapshot;

// The snapshot the window shows for a kept step: the live snapshot's digits, targets and
// labels with that step's state (all channels when kept, else its image channel over zeros),
// its MSE per digit and diverged marks; `version` must differ from the live versions.
void compose_history_snapshot(const SimSnapshot& live, const TimelineFrame& f, uint64_t version,
                              SimSnapshot* out);

}  // namespace rrcnn
