// A/B's script actions (see ab_script.h).
#include "gui/ab/ab_script.h"

#include <string>

namespace rrcnn {

bool ab_action_command(const ScriptAction& a, const StudioState& s, Command* out) {
  if (a.op != "ab") return false;
  const std::string& w = a.str_arg(0);
  Command c{Cmd::kAb};
  if (w == "load") {
    c.n = int(AbAction::kLoad);
    c.path = a.str_arg(1);
  } else if (w == "model") {
    c.n = int(AbAction::kLoad);
    for (const ShippedModel& m : s.models)
      if (m.name == a.str_arg(1)) c.path = m.path;
  } else if (w == "snapshot") {
    c.n = int(AbAction::kSnapshot);
  } else if (w == "swap") {
    c.n = int(AbAction::kSwap);
  } else if (w == "off") {
    c.n = int(AbAction::kOff);
  } else {  // b-tile, diff
    c.n = int(w == "diff" ? AbAction::kShowDiff : AbAction::kShowB);
    c.flag = a.str_arg(1) != "off";
  }
  *out = c;
  return true;
}

std::string ab_observed(const StudioState& s, const std::string& what) {
  if (what == "ab") return s.ab.on() ? "on" : "off";
  if (what == "ab-name") return s.ab.b_name;
  if (what == "ab-differs") return s.ab.differs;
  return "";
}

}  // namespace rrcnn
