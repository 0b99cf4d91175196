// The timeline's script actions (see timeline_script.h).
#include "gui/scripting/timeline_script.h"

namespace rrcnn {

bool timeline_action_command(const ScriptAction& a, const StudioState& s, Command* out) {
  const std::string& op = a.op;
  const std::string& w = a.str_arg(0);
  Command c{Cmd::kQuit};
  if (op == "timeline" || op == "curves") {
    c.kind = Cmd::kSetTimeline;
    c.timeline = s.tl.view;
    if (op == "timeline") {
      c.timeline.settings.enabled = w == "on";
      if (a.has(1)) c.timeline.settings.full_steps = a.int_arg(1);
    } else if (w == "psnr" || w == "mse") {
      c.timeline.psnr = w == "psnr";
    } else {
      c.timeline.show_curves = w == "on";
    }
  } else if (op == "show-step") {
    c.kind = Cmd::kTimelineSeek;
    c.n = w == "newest" ? -1 : a.int_arg(0);
  } else if (op == "fork") {
    c.kind = Cmd::kTimelineFork;
    c.n = a.has(0) ? a.int_arg(0) : int(s.tl.shown_step);
  } else if (op == "keep") {
    c.kind = Cmd::kTimelineKeep;
    c.flag = w == "original";
  } else if (op == "uncertainty") {
    c.kind = Cmd::kMcStart;
    c.n = a.int_arg(0, s.tl.view.mc_k);
  } else if (op == "uncertainty-cancel") {
    c.kind = Cmd::kMcCancel;
  } else {
    return false;
  }
  *out = c;
  return true;
}

std::string timeline_observed(const StudioState& s, const std::string& what) {
  const TimelineUi& tl = s.tl;
  if (what == "shown-step") return std::to_string(tl.shown_step);
  if (what == "kept-from") return std::to_string(tl.info.first);
  if (what == "full-from") return std::to_string(tl.info.first_full);
  if (what == "forked") return tl.info.forked ? "true" : "false";
  if (what == "full-state") return tl.shown_has_state ? "true" : "false";
  if (what == "curve-steps") return std::to_string(tl.curve.mse.size());
  if (what == "uncertainty")
    return tl.mc.busy ? "busy" : tl.mc_ready && !tl.mc_stale ? "ready" : "none";
  return "";
}

}  // namespace rrcnn
