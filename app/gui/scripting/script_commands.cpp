// Script actions as commands and observations (see script_commands.h).
#include "gui/scripting/script_commands.h"

#include <cstdlib>

#include "gui/ab/ab_script.h"
#include "gui/files/unsaved_guard.h"
#include "gui/scripting/model_script.h"
#include "gui/scripting/timeline_script.h"
#include "gui/training/train_advice.h"

namespace rrcnn {
namespace {

Command pacing_cmd(const StudioState& s) {
  Command c{Cmd::kSetPacing};
  c.pacing = s.pacing;
  return c;
}

Command noise_cmd(const StudioState& s) {
  Command c{Cmd::kSetNoise};
  c.noise = s.noise;
  return c;
}

Command view_cmd(const StudioState& s) {
  Command c{Cmd::kSetView};
  c.view = s.view;
  return c;
}

const char* yes_no(bool b) {
  return b ? "true" : "false";
}

BrushMode brush_mode(const std::string& w) {
  if (w == "erase") return BrushMode::kErase;
  if (w == "noise") return BrushMode::kNoise;
  return BrushMode::kDraw;
}

}  // namespace

std::string observed(const StudioState& s, const std::string& what) {
  if (std::string t = timeline_observed(s, what); !t.empty()) return t;
  if (std::string t = model_observed(s, what); !t.empty()) return t;
  if (std::string t = ab_observed(s, what); !t.empty()) return t;
  if (what == "unsaved") return yes_no(s.model.unsaved);
  if (what == "playing") return yes_no(s.pacing.playing);
  if (what == "help") return yes_no(s.view.show_help);
  if (what == "browser") return s.browser_open ? "open" : "closed";
  if (what == "model") return s.model.source;
  if (what == "notice") return s.notice;
  if (what == "toast") return s.toast_shown;
  if (what == "command") return s.command_line;
  if (what == "status") return unsaved_status(s.model.optimizer_step, s.model.saved_step, s.model.saved_here);
  if (what == "description") return s.model.description;
  if (what == "name") return s.model.name;
  if (what == "points") return std::to_string(s.history.points().size());
  if (what == "recording") return yes_no(s.gif_recording);
  if (what == "session-recording") return yes_no(s.session.recording);
  if (what == "batch") return std::to_string(s.snap.batch);
  if (what == "diverged") return std::to_string(s.snap.diverged_count());
  if (what == "rollout")
    return s.pacing.endless ? "endless" : std::to_string(s.pacing.rollout_length);
  if (what == "train") return train_phase_name(s.train_status.phase);
  if (what == "plot")
    return s.history.empty() ? empty_plot_message(s.train_status.phase, s.train_status.busy,
                                                  s.train_step_seconds)
                             : "(curve)";
  switch (s.prompt.kind) {
    case Prompt::kReplace:
      return "replace";
    case Prompt::kUnsaved:
      return "unsaved";
    case Prompt::kDiverged:
      return "diverged";
    case Prompt::kTargetReached:
      return "target";
    case Prompt::kDrawing:
      return "drawing";
    case Prompt::kNone:
      break;
  }
  return "none";
}

bool live_action_command(const ScriptAction& a, const StudioState& s, uint32_t serial,
                         Command* out) {
  const std::string& op = a.op;
  Command c{Cmd::kQuit};
  if (op == "play" || op == "pause") {
    c = pacing_cmd(s);
    c.pacing.playing = op == "play";
  } else if (op == "step") {
    c.kind = Cmd::kStep;
    c.n = a.int_arg(0, 1);
  } else if (op == "reset") {
    c.kind = Cmd::kReset;
  } else if (op == "new-digits") {
    c.kind = Cmd::kNewDigits;
    c.flag = a.str_arg(0) == "keep-hidden";
  } else if (op == "new-noise") {
    c.kind = Cmd::kNewNoise;
  } else if (op == "blank") {
    c.kind = Cmd::kBlank;
  } else if (op == "add-noise") {
    c.kind = Cmd::kAddNoise;
  } else if (op == "speed") {
    c = pacing_cmd(s);
    c.pacing.max_speed = a.str_arg(0) == "max";
    if (!c.pacing.max_speed) c.pacing.speed = a.float_arg(0);
  } else if (op == "rollout" || op == "loop" || op == "endless") {
    c = pacing_cmd(s);
    if (op == "rollout") c.pacing.rollout_length = a.int_arg(0);
    if (op == "loop") c.pacing.loop = a.str_arg(0) == "on";
    if (op == "endless") c.pacing.endless = a.str_arg(0) == "on";
  } else if (op == "noise") {
    c = noise_cmd(s);
    c.noise.random_alpha = a.str_arg(0) == "random";
    if (!c.noise.random_alpha) c.noise.alpha = a.float_arg(0);
  } else if (op == "dropout" || op == "seed" || op == "batch") {
    c = noise_cmd(s);
    if (op == "dropout") c.noise.dropout = a.float_arg(0);
    if (op == "seed") c.noise.seed = std::strtoull(a.str_arg(0).c_str(), nullptr, 10);
    if (op == "batch") c.noise.batch = a.int_arg(0);
  } else if (op == "brush") {
    c.kind = Cmd::kSetBrush;
    c.brush = s.brush;
    c.brush.mode = brush_mode(a.str_arg(0));
    if (a.has(1)) c.brush.radius = a.float_arg(1);
  } else if (op == "paint" || op == "stroke") {
    c.kind = Cmd::kBrush;
    const bool dot = op == "paint";
    c.stroke.sample = a.int_arg(0);
    c.stroke.x0 = a.float_arg(1) + 0.5f;
    c.stroke.y0 = a.float_arg(2) + 0.5f;
    c.stroke.x1 = (dot ? a.float_arg(1) : a.float_arg(3)) + 0.5f;
    c.stroke.y1 = (dot ? a.float_arg(2) : a.float_arg(4)) + 0.5f;
    c.stroke.radius = s.brush.radius;
    c.stroke.mode = s.brush.mode;
    c.stroke.strength = s.brush.strength;
    c.stroke.serial = serial;
  } else if (op == "stroke-at") {
    c.kind = Cmd::kBrush;
    c.stroke.sample = a.int_arg(0);
    c.stroke.x0 = a.float_arg(1);
    c.stroke.y0 = a.float_arg(2);
    c.stroke.x1 = a.float_arg(3);
    c.stroke.y1 = a.float_arg(4);
    c.stroke.radius = a.float_arg(5);
    c.stroke.mode = brush_mode(a.str_arg(6));
    c.stroke.strength = a.float_arg(7);
    c.stroke.serial = uint32_t(std::strtoul(a.str_arg(8).c_str(), nullptr, 10));
  } else if (op == "restore") {
    c.kind = Cmd::kRestore;
    c.noise.seed = std::strtoull(a.str_arg(0).c_str(), nullptr, 10);
    c.n = a.int_arg(1);
    c.episode = uint32_t(std::strtoul(a.str_arg(2).c_str(), nullptr, 10));
  } else if (op == "hover") {
    c.kind = Cmd::kHover;
    c.n = a.str_arg(0) == "off" ? -1 : a.int_arg(0);
    c.stroke.x0 = a.float_arg(1) + 0.5f;
    c.stroke.y0 = a.float_arg(2) + 0.5f;
  } else {
    return false;
  }
  *out = c;
  return true;
}

bool studio_action_command(const ScriptAction& a, const StudioState& s, Command* out) {
  const std::string& op = a.op;
  Command c{Cmd::kQuit};
  if (op == "view" || op == "mosaic" || op == "select" || op == "colormap" || op == "window") {
    c = view_cmd(s);
    ViewSettings& v = c.view;
    const std::string& w = a.str_arg(0);
    const bool on = a.str_arg(1) == "on";
    if (op == "view")
      v.inspect = w == "error"      ? InspectView::kError
                  : w == "channel"  ? InspectView::kChannel
                  : w == "change"   ? InspectView::kChange
                  : w == "mean"     ? InspectView::kMcMean
                  : w == "std"      ? InspectView::kMcStd
                  : w == "original" ? InspectView::kOriginal
                                    : InspectView::kNone;
    if (op == "view" && w == "channel") v.channel = a.int_arg(1);
    if (op == "mosaic") v.show_inspector = w == "on";
    if (op == "select") v.selected = a.int_arg(0);
    if (op == "colormap") v.colormap = w == "light" ? 1 : 0;
    if (op == "window" && w == "training") v.show_training = on;
    if (op == "window" && w == "inspector") v.show_inspector = on;
    if (op == "window" && w == "help") v.show_help = on;
    if (op == "window" && w == "controls") v.show_controls = on;
  } else if (op == "train") {
    const std::string& w = a.str_arg(0);
    c.kind = w == "start"    ? Cmd::kTrainStart
             : w == "pause"  ? Cmd::kTrainPause
             : w == "resume" ? Cmd::kTrainResume
                             : Cmd::kTrainStop;
  } else if (op == "train-batch" || op == "train-target" || op == "lr") {
    c.kind = Cmd::kSetTrain;
    c.train = s.train;
    if (op == "train-batch") c.train.batch = a.int_arg(0);
    if (op == "train-target") c.train.target_steps = a.int_arg(0);
    if (op == "lr") {
      c.train.lr_start = a.float_arg(0);
      c.train.lr_end = a.has(1) ? a.float_arg(1) : a.float_arg(0);
    }
  } else if (op == "weights") {
    c.kind = a.str_arg(0) == "reseed" ? Cmd::kReseedWeights : Cmd::kResetWeights;
  } else if (op == "model") {
    c.kind = Cmd::kSwitchModel;
    for (const ShippedModel& m : s.models)
      if (m.name == a.str_arg(0)) c.path = m.path;
  } else if (op == "preset") {
    c.kind = Cmd::kUsePreset;
    c.path = a.str_arg(0);
  } else if (op == "save" || op == "load" || op == "export-loss" || op == "open" || op == "gif") {
    c.kind = op == "save"          ? Cmd::kSaveCheckpoint
             : op == "load"        ? Cmd::kLoadCheckpoint
             : op == "export-loss" ? Cmd::kExportLoss
             : op == "open"        ? Cmd::kOpenPath
                                   : Cmd::kRecordGif;
    c.path = a.str_arg(0);
    c.flag = true;       // save: with the optimiser state
    c.overwrite = true;  // a script names its files
  } else if (op == "gif-stop") {
    c.kind = Cmd::kStopGif;
  } else if (op == "captions") {
    c.kind = Cmd::kSetCaptions;
    c.flag = a.str_arg(0) == "on";
  } else if (op == "key" || op == "type") {
    c.kind = op == "key" ? Cmd::kKeys : Cmd::kType;
    c.path = a.str_arg(0);
  } else if (op == "window-size") {
    c.kind = Cmd::kWindowSize;
    c.stroke.x0 = a.float_arg(0);
    c.stroke.y0 = a.float_arg(1);
  } else if (op == "panel") {
    c.kind = Cmd::kPlacePanel;
    const std::string& w = a.str_arg(0);
    c.n = w == "Controls" ? 0 : w == "Live" ? 1 : w == "Inspector" ? 2 : 3;
    c.stroke.x0 = a.float_arg(1);
    c.stroke.y0 = a.float_arg(2);
    c.stroke.x1 = a.float_arg(3);
    c.stroke.y1 = a.float_arg(4);
  } else if (op == "session-save" || op == "session-load" || op == "record") {
    c.kind = op == "session-save"   ? Cmd::kSaveSession
             : op == "session-load" ? Cmd::kLoadSession
                                    : Cmd::kRecordSession;
    c.path = a.str_arg(0);
    c.overwrite = true;  // a script names its files
  } else if (op == "record-stop") {
    c.kind = Cmd::kStopRecording;
  } else if (op == "copy-command") {
    c.kind = Cmd::kCopyCommand;
    c.path = a.has(0) ? a.str_arg(0) : "render";
  } else if (op == "close") {
    c.kind = Cmd::kCloseWindow;
  } else {
    return timeline_action_command(a, s, out) ||  // timeline_script.h
           model_action_command(a, s, out) ||     // model_script.h
           ab_action_command(a, s, out);          // ab/ab_script.h
  }
  *out = c;
  return true;
}

}  // namespace rrcnn
