// What the training panel says before and while a run goes: the expected duration from a step
// time measured on this machine (train_probe.h), a suggestion when a run would take long on
// the CPU (fewer steps, or the lite model), and what the empty loss plot tells the user in each
// state. No window code; unit-tested.
#pragma once

#include <cstdint>
#include <string>

#include "gui/training/train_state.h"

namespace rrcnn {

struct TrainAdvice {
  std::string estimate;      // "about 6 h 50 min to step 8192 (3.0 s per step, measured here)"
  bool long_run = false;     // worth a warning and the offers below
  int suggested_target = 0;  // a target about ten minutes away (0: none)
  std::string offer;         // the button: "Train 200 steps (~10 min)"
  std::string suggestion;    // "200 more steps take about 10 min 00 s"
};

// `seconds_per_step` <= 0: not measured yet. Long: more than 20 minutes on the CPU (on a GPU the
// user asked for the speed; no warning). `lo`..`hi`: the range of the timed steps (the estimate
// then gives the range of durations too); `from_run`: the rate is the run's own, measured over
// its last steps, not the probe's.
TrainAdvice advise_training(double seconds_per_step, int64_t step, int target, bool on_cpu,
                            double lo = 0, double hi = 0, bool from_run = false);

// How many steps Start offers to add when the weights already stand at the target: about ten
// minutes of training at the measured rate, rounded to a friendly number (1000 when unknown).
int extension_steps(double seconds_per_step);

// The empty loss plot's message for the run's state: never "press Start" while a step runs.
std::string empty_plot_message(TrainPhase phase, bool step_in_flight,
                               double seconds_per_step = 0);

// What the divergence popup says: which step, what went non-finite, that the run is paused on
// the last good weights, and what to try (a learning rate ten times lower first).
std::string divergence_advice(int64_t step, const std::string& what, float lr);

}  // namespace rrcnn
