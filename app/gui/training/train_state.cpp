// Training state transitions (see train_state.h).
#include "gui/training/train_state.h"

namespace rrcnn {

const char* train_phase_name(TrainPhase p) {
  switch (p) {
    case TrainPhase::kIdle:
      return "idle";
    case TrainPhase::kRunning:
      return "running";
    case TrainPhase::kPaused:
      return "paused";
    case TrainPhase::kStopping:
      return "stopping";
    case TrainPhase::kFinished:
      return "finished";
  }
  return "?";
}

std::string TrainStateMachine::describe() const {
  std::string s = train_phase_name(phase_);
  if (phase_ == TrainPhase::kPaused && diverged_) return s + " (diverged)";
  if (phase_ != TrainPhase::kFinished) return s;
  switch (reason_) {
    case FinishReason::kCompleted:
      return s + " (completed)";
    case FinishReason::kStopped:
      return s + " (stopped by the user)";
    case FinishReason::kError:
      return s + " (error: " + error_ + ")";
    case FinishReason::kNone:
      break;
  }
  return s;
}

bool TrainStateMachine::start() {
  if (phase_ != TrainPhase::kIdle && phase_ != TrainPhase::kFinished) return false;
  phase_ = TrainPhase::kRunning;
  reason_ = FinishReason::kNone;
  error_.clear();
  return true;
}

bool TrainStateMachine::pause() {
  if (phase_ != TrainPhase::kRunning) return false;
  phase_ = TrainPhase::kPaused;
  return true;
}

bool TrainStateMachine::resume() {
  if (phase_ != TrainPhase::kPaused) return false;
  phase_ = TrainPhase::kRunning;
  diverged_ = false;
  return true;
}

bool TrainStateMachine::stop() {
  if (phase_ != TrainPhase::kRunning && phase_ != TrainPhase::kPaused) return false;
  phase_ = TrainPhase::kStopping;
  diverged_ = false;
  return true;
}

bool TrainStateMachine::on_target_reached() {
  // A stop requested during the last step still counts as completed: the target was reached.
  if (phase_ != TrainPhase::kRunning && phase_ != TrainPhase::kStopping) return false;
  finish(FinishReason::kCompleted);
  return true;
}

bool TrainStateMachine::on_error(const std::string& message) {
  if (!active()) return false;
  error_ = message;
  finish(FinishReason::kError);
  return true;
}

bool TrainStateMachine::on_worker_exit() {
  if (phase_ != TrainPhase::kStopping) return false;
  finish(FinishReason::kStopped);
  return true;
}

bool TrainStateMachine::on_diverged() {
  if (phase_ != TrainPhase::kRunning) return false;
  phase_ = TrainPhase::kPaused;
  diverged_ = true;
  return true;
}

bool TrainStateMachine::reset() {
  if (active()) return false;
  phase_ = TrainPhase::kIdle;
  reason_ = FinishReason::kNone;
  error_.clear();
  return true;
}

}  // namespace rrcnn
