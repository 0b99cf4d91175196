// Trained weights are never thrown away without asking: which commands would replace them
// (loading, resetting, switching models, quitting) and the question the studio asks first
// (save / discard / cancel). No window code; unit-tested.
#pragma once

#include <cstdint>
#include <string>

#include "gui/commands.h"

namespace rrcnn {

// What `c` does to the weights in words ("Loading m.safetensors"), or "" when it keeps them.
// `opens_checkpoint`: a kOpenPath whose path is a checkpoint (a data path keeps the weights).
std::string discarding_action(const Command& c, bool opens_checkpoint);

// The question's text, e.g. "The weights were trained for 12 steps since they were last saved.
// Quitting discards them."
std::string unsaved_question(const std::string& action, int64_t steps_since_save);

// Whether the weights hold training the last load or save does not: judged by the optimiser
// step, so a run that ends before its first step (its target already reached) changes nothing.
inline bool weights_unsaved(int64_t optimizer_step, int64_t saved_step) {
  return optimizer_step != saved_step;
}

// The status line's words for it: "" when saved; "12 steps trained since the save at step
// 1262 (Ctrl+S)" after a save (training goes on), "trained weights not saved (Ctrl+S)" else.
std::string unsaved_status(int64_t optimizer_step, int64_t saved_step, bool ever_saved);

}  // namespace rrcnn
