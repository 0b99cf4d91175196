// How many live steps a burst runs: speed, budget, max speed, end of the rollout; the meter.
#include <doctest/doctest.h>

#include "gui/live/sim_pacing.h"

using namespace rrcnn;

TEST_CASE("pacer: steps owed at a given speed, carried over between calls") {
  StepPacer p;
  p.restart(0.0);
  CHECK(p.due(0.1, 30, false, 1.0, 1000) == 3);
  CHECK(p.due(0.15, 30, false, 1.0, 1000) == 1);  // 1.5 owed: one now, half carried
  CHECK(p.due(0.2, 30, false, 1.0, 1000) == 2);
  CHECK(p.due(0.2, 30, false, 1.0, 1000) == 0);
  // Slow motion: one step every two seconds.
  p.restart(10.0);
  CHECK(p.due(11.0, 0.5, false, 1.0, 1000) == 0);
  CHECK(p.wait_seconds(0.5, false) == doctest::Approx(1.0));
  CHECK(p.due(12.0, 0.5, false, 1.0, 1000) == 1);
}

TEST_CASE("pacer: budget, max speed, remaining steps and a slow machine") {
  StepPacer p;
  p.record(10, 0.1);  // 10 ms per step
  p.record(10, 0.1);
  p.record(10, 0.1);
  p.record(10, 0.1);
  p.record(10, 0.1);
  p.record(10, 0.1);
  p.record(10, 0.1);
  CHECK(p.step_cost() == doctest::Approx(0.01).epsilon(0.05));
  p.restart(0.0);
  // Max speed: as many as fit a 33 ms budget.
  const int n = p.due(0.0, 30, true, 0.033, 1000);
  CHECK(n >= 3);
  CHECK(n <= 4);
  CHECK(p.wait_seconds(30, true) == 0.0);
  // Never past the end of the rollout.
  CHECK(p.due(1.0, 30, true, 0.033, 2) == 2);
  CHECK(p.due(1.0, 30, true, 0.033, 0) == 0);
  // A long stall does not turn into a long catch-up burst.
  p.restart(0.0);
  CHECK(p.due(100.0, 1000, false, 0.033, 100000) <= 4);
  // A step costlier than the budget still runs one at a time.
  StepPacer slow;
  for (int i = 0; i < 20; ++i) slow.record(1, 0.5);
  slow.restart(0.0);
  CHECK(slow.due(0.0, 1, true, 0.033, 100) == 1);
}

TEST_CASE("rate meter: steps per second over the last second, decays when idle") {
  RateMeter m;
  CHECK(m.rate(0.0) == 0.0);
  for (int i = 0; i <= 10; ++i) m.add(5, 0.1 * i);  // 5 steps every 100 ms
  CHECK(m.rate(1.0) == doctest::Approx(50.0).epsilon(0.05));
  CHECK(m.rate(10.0) == 0.0);
}
