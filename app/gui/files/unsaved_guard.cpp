// The unsaved-weights question (see unsaved_guard.h).
#include "gui/files/unsaved_guard.h"

#include <filesystem>

namespace rrcnn {

std::string discarding_action(const Command& c, bool opens_checkpoint) {
  if (c.discard_ok) return "";
  const std::string name = std::filesystem::path(c.path).filename().string();
  switch (c.kind) {
    case Cmd::kLoadCheckpoint:
      return "Loading " + (name.empty() ? std::string("other weights") : name);
    case Cmd::kOpenPath:
      return opens_checkpoint ? "Loading " + name : "";
    case Cmd::kSwitchModel:
      return "Switching to " + (name.empty() ? std::string("another model") : name);
    case Cmd::kUsePreset:
      return "Starting a fresh " + c.path + " model";
    case Cmd::kNewModel:
      return "Creating a new model";
    case Cmd::kResetWeights:
    case Cmd::kReseedWeights:
      return "Resetting the weights";
    case Cmd::kQuit:
      return "Quitting";
    default:
      return "";
  }
}

std::string unsaved_question(const std::string& action, int64_t steps) {
  std::string s = "The weights were trained ";
  if (steps > 0)
    s += "for " + std::to_string(steps) + (steps == 1 ? " step" : " steps") + " ";
  s += "since they were last saved. " + action + " discards them.";
  return s;
}

std::string unsaved_status(int64_t step, int64_t saved_step, bool ever_saved) {
  if (!weights_unsaved(step, saved_step)) return "";
  if (!ever_saved || step < saved_step) return "trained weights not saved (Ctrl+S)";
  const int64_t n = step - saved_step;
  return std::to_string(n) + (n == 1 ? " step" : " steps") + " trained since the save at step " +
         std::to_string(saved_step) + " (Ctrl+S)";
}

}  // namespace rrcnn
