// The training run's explicit states and the legal moves between them, apart from the thread
// that drives them so the rules can be unit-tested:
//   idle --start--> running <--pause/resume--> paused
//   running|paused --stop--> stopping --worker exits--> finished(stopped)
//   running --target reached--> finished(completed);  any --error--> finished(error, text)
//   finished --start--> running (continues from the current weights)
//   idle|finished --reset (other weights loaded)--> idle
//   running --diverged (non-finite loss or gradient; the step is undone)--> paused (diverged)
#pragma once

#include <string>

namespace rrcnn {

enum class TrainPhase { kIdle, kRunning, kPaused, kStopping, kFinished };
enum class FinishReason { kNone, kCompleted, kStopped, kError };

const char* train_phase_name(TrainPhase p);  // "idle", "running", ...

class TrainStateMachine {
 public:
  TrainPhase phase() const { return phase_; }
  FinishReason reason() const { return reason_; }
  const std::string& error() const { return error_; }
  // "running", "finished (completed)", "finished (error: ...)".
  std::string describe() const;

  // User actions; each returns whether it changed the state (illegal moves are ignored).
  bool start();
  bool pause();
  bool resume();
  bool stop();
  // Worker events.
  bool on_target_reached();
  bool on_error(const std::string& message);
  bool on_worker_exit();  // the worker left its loop: stopping -> finished(stopped)
  // The step went non-finite and was undone: pause so the user can lower the learning rate.
  bool on_diverged();
  bool diverged() const { return diverged_; }  // paused because of it (until resumed)
  // Other weights were loaded: back to idle (a finished run's "Continue" no longer applies).
  // Ignored while a run is active.
  bool reset();

  // Whether the worker should keep stepping / wait / leave.
  bool worker_should_step() const { return phase_ == TrainPhase::kRunning; }
  bool worker_should_exit() const {
    return phase_ == TrainPhase::kStopping || phase_ == TrainPhase::kFinished ||
           phase_ == TrainPhase::kIdle;
  }
  bool active() const {  // a worker thread exists or should
    return phase_ == TrainPhase::kRunning || phase_ == TrainPhase::kPaused ||
           phase_ == TrainPhase::kStopping;
  }

 private:
  void finish(FinishReason r) {
    phase_ = TrainPhase::kFinished;
    reason_ = r;
  }
  TrainPhase phase_ = TrainPhase::kIdle;
  FinishReason reason_ = FinishReason::kNone;
  bool diverged_ = false;
  std::string error_;
};

}  // namespace rrcnn
