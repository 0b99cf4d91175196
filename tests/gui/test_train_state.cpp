// The training run's state machine: legal moves, ignored illegal ones, finish reasons.
#include <doctest/doctest.h>

#include "gui/training/train_state.h"

using namespace rrcnn;

TEST_CASE("train states: start, pause, resume, stop, worker exit") {
  TrainStateMachine m;
  CHECK(m.phase() == TrainPhase::kIdle);
  CHECK(m.describe() == "idle");
  CHECK_FALSE(m.pause());
  CHECK_FALSE(m.stop());
  CHECK(m.start());
  CHECK(m.phase() == TrainPhase::kRunning);
  CHECK(m.worker_should_step());
  CHECK_FALSE(m.start());  // already running
  CHECK(m.pause());
  CHECK(m.phase() == TrainPhase::kPaused);
  CHECK_FALSE(m.worker_should_step());
  CHECK_FALSE(m.worker_should_exit());
  CHECK(m.resume());
  CHECK(m.stop());
  CHECK(m.phase() == TrainPhase::kStopping);
  CHECK(m.worker_should_exit());
  CHECK(m.active());
  CHECK_FALSE(m.resume());
  CHECK(m.on_worker_exit());
  CHECK(m.phase() == TrainPhase::kFinished);
  CHECK(m.reason() == FinishReason::kStopped);
  CHECK(m.describe() == "finished (stopped by the user)");
  CHECK_FALSE(m.active());
}

TEST_CASE("train states: stop from pause, completion, errors, restart after finishing") {
  TrainStateMachine m;
  m.start();
  m.pause();
  CHECK(m.stop());
  CHECK(m.on_worker_exit());
  CHECK(m.reason() == FinishReason::kStopped);

  CHECK(m.start());  // continue after finishing
  CHECK(m.reason() == FinishReason::kNone);
  CHECK(m.on_target_reached());
  CHECK(m.reason() == FinishReason::kCompleted);
  CHECK(m.describe() == "finished (completed)");
  CHECK_FALSE(m.on_worker_exit());  // already finished: stays completed
  CHECK(m.reason() == FinishReason::kCompleted);

  CHECK(m.start());
  CHECK(m.on_error("loss is NaN"));
  CHECK(m.reason() == FinishReason::kError);
  CHECK(m.error() == "loss is NaN");
  CHECK(m.describe() == "finished (error: loss is NaN)");
  CHECK_FALSE(m.on_error("again"));  // not active any more
  CHECK(m.start());
  CHECK(m.error().empty());
}

TEST_CASE("train states: reset after other weights are loaded, never during a run") {
  TrainStateMachine m;
  CHECK(m.start());
  CHECK_FALSE(m.reset());
  CHECK(m.phase() == TrainPhase::kRunning);
  CHECK(m.stop());
  CHECK_FALSE(m.reset());
  CHECK(m.on_worker_exit());
  CHECK(m.reset());
  CHECK(m.phase() == TrainPhase::kIdle);
  CHECK(m.describe() == "idle");
  CHECK(m.reason() == FinishReason::kNone);
}

TEST_CASE("train states: divergence pauses; resume or stop clears it") {
  TrainStateMachine m;
  CHECK_FALSE(m.on_diverged());  // not running
  CHECK(m.start());
  CHECK(m.on_diverged());
  CHECK(m.phase() == TrainPhase::kPaused);
  CHECK(m.diverged());
  CHECK(m.describe() == "paused (diverged)");
  CHECK(m.resume());
  CHECK_FALSE(m.diverged());
  CHECK(m.on_diverged());
  CHECK(m.stop());
  CHECK_FALSE(m.diverged());
}
