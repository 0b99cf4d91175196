// The --script language's A/B actions and observations (script.h lists them):
//   ab load FILE | ab model NAME (a shipped model, by file stem) | ab snapshot | ab swap | ab off
//   ab b-tile on|off | ab diff on|off
//   assert ab on|off | assert ab-name TEXT | assert ab-differs TEXT
#pragma once

#include <string>

#include "gui/commands.h"
#include "gui/scripting/script.h"
#include "gui/studio_state.h"

namespace rrcnn {

// True and *c set when `a` is an A/B action.
bool ab_action_command(const ScriptAction& a, const StudioState& s, Command* c);
// The observed value for `assert WHAT`, or "" when WHAT is not A/B's.
std::string ab_observed(const StudioState& s, const std::string& what);

}  // namespace rrcnn
