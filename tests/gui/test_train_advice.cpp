// Expected training duration from a measured step time, the long-run warning and its offer, and
// the empty plot's message per state.
#include <doctest/doctest.h>

#include "gui/training/train_advice.h"

using namespace rrcnn;

TEST_CASE("training advice: duration from the measured step time; long CPU runs get an offer") {
  CHECK(advise_training(0, 0, 8192, true).estimate.empty());
  const TrainAdvice seed = advise_training(3.0, 596, 8192, true);
  CHECK(seed.estimate == "about 6 h 19 min to step 8192 (3.0 s per step, measured here)");
  CHECK(seed.long_run);
  CHECK(seed.suggested_target == 596 + 200);  // 600 s / 3 s = 200 steps
  CHECK(seed.suggestion == "200 more steps take about 10 min 00 s");
  CHECK(seed.offer == "Train 200 steps (~10 min)");
  const TrainAdvice gpu = advise_training(0.02, 0, 8192, false);
  CHECK(gpu.estimate == "about 2 min 43 s to step 8192 (20 ms per step, measured here)");
  CHECK_FALSE(gpu.long_run);
  CHECK(advise_training(3.0, 0, 8192, false).long_run == false);  // a GPU the user chose
  const TrainAdvice lite = advise_training(0.1, 0, 300, true);
  CHECK_FALSE(lite.long_run);
  CHECK(lite.suggested_target == 0);
  CHECK(advise_training(1.0, 9000, 8192, true).estimate.find("target reached") == 0);
  const TrainAdvice odd = advise_training(0.7, 0, 100000, true);
  CHECK(odd.suggested_target == 800);  // 857 steps, rounded down to one significant digit
}

TEST_CASE("empty plot message follows the run's state") {
  CHECK(empty_plot_message(TrainPhase::kIdle, false) == "no training steps yet: press Start (T)");
  CHECK(empty_plot_message(TrainPhase::kRunning, true).find("in flight") != std::string::npos);
  CHECK(empty_plot_message(TrainPhase::kRunning, true, 3.0).find("about 3 s per step") !=
        std::string::npos);
  CHECK(empty_plot_message(TrainPhase::kPaused, false) == "paused before the first step");
  CHECK(empty_plot_message(TrainPhase::kStopping, true).find("stopping") == 0);
  CHECK(empty_plot_message(TrainPhase::kFinished, false).find("ended") != std::string::npos);
  for (TrainPhase p : {TrainPhase::kRunning, TrainPhase::kPaused, TrainPhase::kStopping,
                       TrainPhase::kFinished})
    CHECK(empty_plot_message(p, true).find("press Start") == std::string::npos);
}

TEST_CASE("divergence advice: which step, what, the last good step, a tenth of the rate") {
  const std::string a =
      divergence_advice(2, "training diverged: loss is inf at optimiser step 1 (lower the learning "
                           "rate) [core/cpu_backend.cpp:105]",
                        1.0f);
  CHECK(a.find("Training diverged at optimiser step 2: the loss is inf (learning rate 1.0e+00).") ==
        0);
  CHECK(a.find("last good weights (step 1)") != std::string::npos);
  CHECK(a.find("lower learning rate (1.0e-01") != std::string::npos);
  CHECK(a.find("[core/") == std::string::npos);
  CHECK(divergence_advice(7, "the gradient norm is nan", 1e-3f).find("step 7: the gradient norm "
                                                                      "is nan (learning rate "
                                                                      "1.0e-03)") !=
        std::string::npos);
}

TEST_CASE("training advice: a range from several timed steps, the run's own rate after") {
  const TrainAdvice r = advise_training(1.0, 0, 1000, true, 0.9, 1.5);
  CHECK(r.estimate.find("to step 1000") != std::string::npos);
  CHECK(r.estimate.find("0.9-1.5 s per step, measured here)") != std::string::npos);
  CHECK(r.estimate.find("15 min 00 s to 25 min 00 s") != std::string::npos);
  const TrainAdvice ms = advise_training(0.2, 0, 100, true, 0.15, 0.3);
  CHECK(ms.estimate.find("150-300 ms per step") != std::string::npos);
  const TrainAdvice run = advise_training(1.2, 500, 1000, true, 0.9, 1.5, true);
  CHECK(run.estimate.find("1.2 s per step, the run's own rate)") != std::string::npos);
  CHECK(run.estimate.find("measured here") == std::string::npos);
}

TEST_CASE("training advice: steps offered when the target is reached") {
  CHECK(extension_steps(0) == 1000);          // not measured
  CHECK(extension_steps(1.0) == 600);         // ten minutes at a second a step
  CHECK(extension_steps(0.05) == 10000);      // capped
  CHECK(extension_steps(120.0) == 10);        // at least ten
}
