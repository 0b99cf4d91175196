// Step pacing and rate measurement (see sim_pacing.h).
#include "gui/live/sim_pacing.h"

#include <algorithm>
#include <cmath>

namespace rrcnn {

void StepPacer::restart(double now_s) {
  last_ = now_s;
  owed_ = 0;
}

int StepPacer::due(double now_s, double speed, bool max_speed, double budget_s, int64_t remaining) {
  if (last_ < 0) last_ = now_s;
  const double dt = std::max(0.0, now_s - last_);
  last_ = now_s;
  const int fit = std::max(1, int(budget_s / std::max(cost_, 1e-6)));
  int n;
  if (max_speed) {
    n = fit;
    owed_ = 0;
  } else {
    owed_ += dt * std::max(speed, 0.0);
    // Owing more than one burst means the machine is slower than asked: drop the backlog
    // rather than run a long catch-up burst.
    owed_ = std::min(owed_, double(fit) + 1.0);
    n = std::min(int(std::floor(owed_)), fit);
    owed_ -= n;
  }
  if (remaining >= 0) n = int(std::min<int64_t>(n, remaining));
  return std::max(n, 0);
}

double StepPacer::wait_seconds(double speed, bool max_speed) const {
  if (max_speed) return 0.0;
  if (speed <= 0) return 1.0;
  return std::max(0.0, (1.0 - owed_) / speed);
}

void StepPacer::record(int steps, double seconds) {
  if (steps <= 0 || seconds <= 0) return;
  const double c = seconds / steps;
  cost_ = 0.7 * cost_ + 0.3 * c;
}

void RateMeter::add(int64_t count, double now_s) {
  events_.emplace_back(now_s, count);
  while (events_.size() > 2 && events_.front().first < now_s - 1.5) events_.pop_front();
}

double RateMeter::rate(double now_s) const {
  if (events_.size() < 2) return 0.0;
  // Count every step after the first event, over the time since it.
  int64_t steps = 0;
  for (size_t i = 1; i < events_.size(); ++i) steps += events_[i].second;
  const double span = std::max(events_.back().first, now_s) - events_.front().first;
  // A meter that stopped receiving events decays to zero.
  if (now_s - events_.back().first > 1.5) return 0.0;
  return span > 0 ? double(steps) / span : 0.0;
}

}  // namespace rrcnn
