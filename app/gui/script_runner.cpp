// Script execution (see script_runner.h). Every action that emits a command ends the frame's
// tick, so the next action sees the state that command produced.
#include "gui/script_runner.h"

#include <cctype>
#include <string>

#include "gui/train_advice.h"

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

// What `assert` compares, as text.
std::string observed(const StudioState& s, const std::string& what) {
  if (what == "unsaved") return yes_no(s.model.unsaved);
  if (what == "playing") return yes_no(s.pacing.playing);
  if (what == "help") return yes_no(s.view.show_help);
  if (what == "browser") return s.browser_open ? "open" : "closed";
  if (what == "model") return s.model.source;
  if (what == "notice") return s.notice;
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
    case Prompt::kNone:
      break;
  }
  return "none";
}

BrushMode brush_mode(const std::string& w) {
  if (w == "erase") return BrushMode::kErase;
  if (w == "noise") return BrushMode::kNoise;
  return BrushMode::kDraw;
}

}  // namespace

void ScriptRunner::tick(const StudioState& s, ScriptHost& host, Commands& out,
                        std::vector<ProbeRequest>* probes) {
  while (next_ < actions_.size() && !quit_) {
    const ScriptAction& a = actions_[next_];
    const bool emitted_before = !out.empty();
    const size_t first = out.size();
    current_line_ = a.line;
    const bool done = run(a, s, host, out, probes, emitted_before);
    out.tag(first, a.line);
    if (!done) {
      ++waited_;
      return;
    }
    ++next_;
    waited_ = 0;
    synced_ = false;
    if (!out.empty()) return;  // let the command take effect before the next action
  }
}

bool ScriptRunner::expected_error(const std::string& message) {
  auto lower = [](std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (auto it = expected_.begin(); it != expected_.end(); ++it)
    if (lower(message).find(lower(it->second)) != std::string::npos) {
      expected_.erase(it);
      return true;
    }
  return false;
}

void ScriptRunner::finish() {
  for (const auto& [line, text] : expected_)
    failures_.push_back("script line " + std::to_string(line) + ": no error containing '" + text +
                        "' happened");
  expected_.clear();
}

bool ScriptRunner::wait_until(bool done, const ScriptAction& a, int limit_arg, int default_limit) {
  if (done) return true;
  const int limit = a.has(size_t(limit_arg)) ? a.int_arg(size_t(limit_arg)) : default_limit;
  if (waited_ >= limit) {
    failures_.push_back("script line " + std::to_string(a.line) + ": '" + a.op +
                        "' still waiting after " + std::to_string(limit) + " frames");
    return true;
  }
  return false;
}

bool ScriptRunner::run(const ScriptAction& a, const StudioState& s, ScriptHost& host, Commands& out,
                       std::vector<ProbeRequest>* probes, bool emitted) {
  const std::string& op = a.op;
  if (op == "wait") return waited_ >= a.int_arg(0);
  if (op == "wait-step") {
    if (!synced_) {
      host.sync_live();  // judge by a snapshot that includes the commands sent so far
      synced_ = true;
      return false;
    }
    return wait_until(s.snap.step >= a.int_arg(0), a, 1, 3000);
  }
  if (op == "wait-train")
    return wait_until(int(s.history.points().size()) >= a.int_arg(0), a, 1, 3000);
  if (op == "wait-estimate") return wait_until(s.train_step_seconds > 0, a, 0, 3000);
  if (op == "wait-trainer-idle")
    return wait_until(
        s.train_status.phase == TrainPhase::kIdle || s.train_status.phase == TrainPhase::kFinished,
        a, 0, 3000);
  if (op == "probe" || op == "screenshot") {
    if (emitted) return false;
    if (!synced_) {
      host.sync_live();  // the snapshot fetched after this tick shows every earlier command
      synced_ = true;
    }
    if (op == "probe") {
      probes->push_back({a.str_arg(0), a.int_arg(1), int(a.float_arg(2)), int(a.float_arg(3)),
                         a.float_arg(4), a.float_arg(5)});
    } else {
      Command shot{Cmd::kScreenshot};
      shot.path = a.str_arg(0);
      shot.overwrite = true;
      out.push(shot);
    }
    return true;
  }
  if (op == "quit") {
    quit_ = true;
    return true;
  }
  if (op == "assert") {
    const std::string got = observed(s, a.str_arg(0));
    std::string want;
    for (size_t i = 1; i < a.args.size(); ++i) want += (i > 1 ? " " : "") + a.args[i];
    const bool contains =
        a.str_arg(0) == "model" || a.str_arg(0) == "notice" || a.str_arg(0) == "plot";
    if (contains ? got.find(want) == std::string::npos : got != want)
      failures_.push_back("script line " + std::to_string(a.line) + ": " + a.str_arg(0) + " is '" +
                          got + "', expected '" + want + "'");
    return true;
  }
  if (op == "expect-error") {
    std::string text;
    for (const std::string& w : a.args) text += (text.empty() ? "" : " ") + w;
    expected_.emplace_back(a.line, text);
    return true;
  }
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
  } else if (op == "rollout") {
    c = pacing_cmd(s);
    c.pacing.rollout_length = a.int_arg(0);
  } else if (op == "loop") {
    c = pacing_cmd(s);
    c.pacing.loop = a.str_arg(0) == "on";
  } else if (op == "noise") {
    c = noise_cmd(s);
    c.noise.random_alpha = a.str_arg(0) == "random";
    if (!c.noise.random_alpha) c.noise.alpha = a.float_arg(0);
  } else if (op == "dropout" || op == "seed" || op == "batch") {
    c = noise_cmd(s);
    if (op == "dropout") c.noise.dropout = a.float_arg(0);
    if (op == "seed") c.noise.seed = uint64_t(a.int_arg(0));
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
    c.stroke.serial = uint32_t(next_ + 1);
  } else if (op == "view" || op == "mosaic" || op == "select" || op == "colormap" ||
             op == "window") {
    c = view_cmd(s);
    ViewSettings& v = c.view;
    const std::string& w = a.str_arg(0);
    const bool on = a.str_arg(1) == "on";
    if (op == "view")
      v.inspect = w == "error"     ? InspectView::kError
                  : w == "channel" ? InspectView::kChannel
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
  } else if (op == "model") {
    c.kind = Cmd::kSwitchModel;
    for (const ShippedModel& m : s.models)
      if (m.name == a.str_arg(0)) c.path = m.path;
    if (c.path.empty()) {
      failures_.push_back("script line " + std::to_string(a.line) + ": no shipped model '" +
                          a.str_arg(0) + "'");
      return true;
    }
  } else if (op == "endless") {
    c = pacing_cmd(s);
    c.pacing.endless = a.str_arg(0) == "on";
  } else if (op == "preset") {
    c.kind = Cmd::kUsePreset;
    c.path = a.str_arg(0);
  } else if (op == "train-batch" || op == "train-target" || op == "lr") {
    c.kind = Cmd::kSetTrain;
    c.train = s.train;
    if (op == "train-batch") c.train.batch = a.int_arg(0);
    if (op == "train-target") c.train.target_steps = a.int_arg(0);
    if (op == "lr") {
      c.train.lr_start = a.float_arg(0);
      c.train.lr_end = a.has(1) ? a.float_arg(1) : a.float_arg(0);
    }
  } else if (op == "open") {
    c.kind = Cmd::kOpenPath;
    c.path = a.str_arg(0);
  } else if (op == "gif") {
    c.kind = Cmd::kRecordGif;
    c.path = a.str_arg(0);
    c.overwrite = true;
  } else if (op == "hover") {
    c.kind = Cmd::kHover;
    c.n = a.str_arg(0) == "off" ? -1 : a.int_arg(0);
    c.stroke.x0 = a.float_arg(1) + 0.5f;
    c.stroke.y0 = a.float_arg(2) + 0.5f;
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
  } else if (op == "close") {
    c.kind = Cmd::kCloseWindow;
  } else if (op == "weights") {
    c.kind = a.str_arg(0) == "reseed" ? Cmd::kReseedWeights : Cmd::kResetWeights;
  } else if (op == "key" || op == "type") {
    c.kind = op == "key" ? Cmd::kKeys : Cmd::kType;
    c.path = a.str_arg(0);
  } else if (op == "captions") {
    c.kind = Cmd::kSetCaptions;
    c.flag = a.str_arg(0) == "on";
  } else if (op == "gif-stop") {
    c.kind = Cmd::kStopGif;
  } else if (op == "save" || op == "load" || op == "export-loss") {
    c.kind = op == "save"   ? Cmd::kSaveCheckpoint
             : op == "load" ? Cmd::kLoadCheckpoint
                            : Cmd::kExportLoss;
    c.path = a.str_arg(0);
    c.flag = true;
    c.overwrite = true;  // a script names its files
  } else {
    failures_.push_back("script line " + std::to_string(a.line) + ": '" + op +
                        "' is not implemented");
    return true;
  }
  out.push(c);
  return true;
}

}  // namespace rrcnn
