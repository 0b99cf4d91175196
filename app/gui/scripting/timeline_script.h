// The --script language's timeline actions and observations (script.h lists them):
//   timeline on|off [FULL_STEPS] | show-step N|newest | fork [N] | keep branch|original
//   curves on|off|mse|psnr | uncertainty K | uncertainty-cancel | wait-uncertainty [MAX_FRAMES]
//   view change|mean|std|original (4th tile)
//   assert shown-step N | assert kept-from N | assert forked true|false |
//          assert full-state true|false | assert curve-steps N | assert uncertainty ready|busy|none
#pragma once

#include <string>

#include "gui/commands.h"
#include "gui/scripting/script.h"
#include "gui/studio_state.h"

namespace rrcnn {

// True and *c set when `a` is a timeline action.
bool timeline_action_command(const ScriptAction& a, const StudioState& s, Command* c);
// The observed value for `assert WHAT`, or "" when WHAT is not the timeline's.
std::string timeline_observed(const StudioState& s, const std::string& what);

}  // namespace rrcnn
