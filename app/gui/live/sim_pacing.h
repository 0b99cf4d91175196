// How many live steps to run now: steps/s from slow motion to "as fast as the machine goes",
// batched so one burst of work stays within a time budget (the view republishes between
// bursts), and a steps/s meter. Pure arithmetic on times passed in; unit-tested.
#pragma once

#include <cstdint>
#include <deque>
#include <utility>

namespace rrcnn {

class StepPacer {
 public:
  // Forget accumulated time (after a pause, a reset or a speed change).
  void restart(double now_s);
  // Steps to run at `now_s`: what `speed` steps/s owes since the last call, or as many as fit
  // the budget at max speed; never more than fit `budget_s`, never more than `remaining`.
  int due(double now_s, double speed, bool max_speed, double budget_s, int64_t remaining);
  // Seconds until the next step is owed (0 at max speed).
  double wait_seconds(double speed, bool max_speed) const;
  // Measured cost of `steps` steps, smoothed.
  void record(int steps, double seconds);
  double step_cost() const { return cost_; }

 private:
  double last_ = -1, owed_ = 0, cost_ = 0.005;
};

// Steps per second over roughly the last second.
class RateMeter {
 public:
  void add(int64_t count, double now_s);
  double rate(double now_s) const;
  void clear() { events_.clear(); }

 private:
  std::deque<std::pair<double, int64_t>> events_;
};

}  // namespace rrcnn
