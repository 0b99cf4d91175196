// Training duration advice (see train_advice.h).
#include "gui/training/train_advice.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gui/panels/plot_math.h"

namespace rrcnn {
namespace {

constexpr double kLongRunSeconds = 20 * 60;
constexpr double kShortRunSeconds = 10 * 60;

std::string per_step(double s) {
  char buf[48];
  if (s >= 1)
    std::snprintf(buf, sizeof buf, "%.1f s per step", s);
  else
    std::snprintf(buf, sizeof buf, "%.0f ms per step", s * 1000);
  return buf;
}

// "0.90-1.2 s per step" or "120-180 ms per step": one unit for both ends.
std::string per_step_range(double lo, double hi) {
  char buf[64];
  if (hi >= 1)
    std::snprintf(buf, sizeof buf, "%.2g-%.2g s per step", lo, hi);
  else
    std::snprintf(buf, sizeof buf, "%.0f-%.0f ms per step", lo * 1000, hi * 1000);
  return buf;
}

}  // namespace

TrainAdvice advise_training(double sps, int64_t step, int target, bool on_cpu, double lo,
                            double hi, bool from_run) {
  TrainAdvice a;
  if (!(sps > 0) || !std::isfinite(sps)) return a;
  const int64_t left = std::max<int64_t>(int64_t(target) - step, 0);
  const double total = double(left) * sps;
  const bool range = !from_run && lo > 0 && hi > lo * 1.05;
  std::string where = left == 0 ? std::string("target reached")
                                : "about " + format_duration(total) + " to step " +
                                      std::to_string(target);
  if (from_run) {
    where += " (" + per_step(sps) + ", the run's own rate)";
  } else if (range) {
    // "0.90-1.2 s per step": the spread of the timed steps, and what it means for the run.
    const std::string span = per_step_range(lo, hi);
    if (left > 0)
      where += " (" + format_duration(double(left) * lo) + " to " +
               format_duration(double(left) * hi) + "; " + span + ", measured here)";
    else
      where += " (" + span + ", measured here)";
  } else {
    where += " (" + per_step(sps) + ", measured here)";
  }
  a.estimate = where;
  a.long_run = on_cpu && total > kLongRunSeconds;
  if (a.long_run) {
    // About ten minutes of steps, rounded to a friendly number.
    const double n = std::max(10.0, kShortRunSeconds / sps);
    const double p = std::pow(10.0, std::floor(std::log10(n)));
    const int steps = int(std::max(10.0, std::floor(n / p) * p));
    a.suggested_target = int(step) + steps;
    a.suggestion = std::to_string(steps) + " more steps take about " +
                   format_duration(double(steps) * sps);
    const double t = double(steps) * sps;
    a.offer = "Train " + std::to_string(steps) + " steps (~" +
              (t < 60 ? std::to_string(int(std::lround(t))) + " s"
                      : std::to_string(int(std::lround(t / 60))) + " min") +
              ")";
  }
  return a;
}

int extension_steps(double sps) {
  if (!(sps > 0) || !std::isfinite(sps)) return 1000;
  const double n = std::clamp(kShortRunSeconds / sps, 10.0, 10000.0);
  const double p = std::pow(10.0, std::floor(std::log10(n)));
  return int(std::max(10.0, std::floor(n / p) * p));
}

std::string empty_plot_message(TrainPhase phase, bool busy, double sps) {
  switch (phase) {
    case TrainPhase::kRunning:
      if (sps > 0)
        return "first training step in flight (about " + format_duration(sps) + " per step)...";
      return busy ? "first training step in flight..." : "starting...";
    case TrainPhase::kPaused:
      return busy ? "pausing after the first step..." : "paused before the first step";
    case TrainPhase::kStopping:
      return "stopping after the step in flight...";
    case TrainPhase::kFinished:
      return "the run ended before its first step finished";
    case TrainPhase::kIdle:
      break;
  }
  return "no training steps yet: press Start (T)";
}

std::string divergence_advice(int64_t step, const std::string& what, float lr) {
  char lr_now[32], lr_try[32];
  std::snprintf(lr_now, sizeof lr_now, "%.1e", double(lr));
  std::snprintf(lr_try, sizeof lr_try, "%.1e", double(lr) / 10);
  std::string w = what;
  // A backend's message may say "training diverged" and the step itself, and carry a hint and
  // a source tag: the popup says all that once.
  for (const char* cut : {" (", " [", " at optimiser step"}) {
    const size_t at = w.find(cut);
    if (at != std::string::npos) w.resize(at);
  }
  const std::string prefix = "training diverged: ";
  if (w.rfind(prefix, 0) == 0) w = "the " + w.substr(prefix.size());
  return "Training diverged at optimiser step " + std::to_string(step) + ": " + w +
         " (learning rate " + lr_now + "). The step was not applied: training is paused and the "
         "live view keeps the last good weights (step " + std::to_string(step - 1) +
         ").\n\nTry a lower learning rate (" + lr_try +
         ", a tenth of now) and Resume; if it diverges again, lower it further, or Stop and "
         "load a checkpoint or reset the weights.";
}

}  // namespace rrcnn
