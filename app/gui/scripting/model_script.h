// The --script language's actions for models and runs of your own (script.h lists the rest):
//   new-model-dialog [field=value ...]  (opens the New model dialog, its fields set)
//   wait-new-model [MAX_FRAMES]         (the dialog's training step is measured)
//   new-model field=value ...           (fresh weights: channels=24 perception=20 hidden=40,24
//                                        dropout= step_size= horizon= train_perception=on name=)
//   recipe seed | recipe pool [pool=N replace=N horizon=A..B damage=N radius=N kind=erase]
//   overlay PATH | overlay remove N|all  (a run's log over the loss plot)
//   assert recipe seed|pool (the weights'), train-recipe seed|pool (the next run's),
//          config TEXT (contained in the weights' config line), overlays N,
//          recent-runs TEXT (contained in the recent runs' labels and paths)
#pragma once

#include <string>

#include "gui/commands.h"
#include "gui/scripting/script.h"
#include "gui/studio_state.h"

namespace rrcnn {

// True and *c set when `a` is one of these actions.
bool model_action_command(const ScriptAction& a, const StudioState& s, Command* c);
// The observed value for `assert WHAT`, or "" when WHAT is not one of these.
std::string model_observed(const StudioState& s, const std::string& what);

}  // namespace rrcnn
