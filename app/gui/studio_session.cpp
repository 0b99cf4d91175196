// Sessions in the studio: the live settings to and from a session file (File > Save / Load
// session, --session), "Copy as command" and F1's command lines (one mapping,
// session_file.h), and recording what the user does as a --script file that replays the same
// states (the live view's journal, live_sim_journal.cpp, supplies the lines in the order and at
// the step the worker applied them).
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include <imgui.h>

#include "core/dataset.h"
#include "core/error.h"
#include "gui/ab/ab_session.h"
#include "gui/files/output_paths.h"
#include "gui/studio.h"
#include "session/session_file.h"
#include "session/state_hash.h"

namespace rrcnn {
namespace fs = std::filesystem;
namespace {

const char* on_off(bool b) {
  return b ? "on" : "off";
}

// What a settings command changes, as script lines for the recording (the live view's worker
// never sees these, so they travel to its journal as notes, in order with the strokes).
std::string setting_lines(const Command& c, const StudioState& st) {
  std::string out;
  auto add = [&](const std::string& l) { out += (out.empty() ? "" : "\n") + l; };
  if (c.kind == Cmd::kSetBrush && (c.brush.mode != st.brush.mode || c.brush.radius != st.brush.radius))
    add(std::string("brush ") + brush_mode_name(c.brush.mode) + " " + float_text(c.brush.radius));
  if (c.kind == Cmd::kSetView) {
    static const char* tiles[] = {"image", "channel", "error", "change", "mean", "std", "original"};
    const ViewSettings &a = st.view, &b = c.view;
    if (a.inspect != b.inspect || (b.inspect == InspectView::kChannel && a.channel != b.channel))
      add(std::string("view ") + tiles[int(b.inspect)] +
          (b.inspect == InspectView::kChannel ? " " + std::to_string(b.channel) : ""));
    if (a.colormap != b.colormap) add(std::string("colormap ") + (b.colormap == 1 ? "light" : "dark"));
    if (a.selected != b.selected) add("select " + std::to_string(b.selected));
  }
  if (c.kind == Cmd::kSetPacing) {
    const SimPacing &a = st.pacing, &b = c.pacing;
    // Replays step exactly as recorded, so playing is a remark, not an action.
    if (a.playing != b.playing) add(b.playing ? "# play" : "# pause");
    if (a.speed != b.speed || a.max_speed != b.max_speed)
      add("speed " + (b.max_speed ? std::string("max") : float_text(b.speed)));
    if (a.rollout_length != b.rollout_length) add("rollout " + std::to_string(b.rollout_length));
    if (a.loop != b.loop) add(std::string("loop ") + on_off(b.loop));
    if (a.endless != b.endless) add(std::string("endless ") + on_off(b.endless));
  }
  return out;
}

}  // namespace

StudioSettings Studio::current_settings() const {
  StudioSettings s;
  if (!st_.model.fresh) s.checkpoint = st_.model.source;
  else s.preset = st_.model.config.preset;
  if (st_.data_source != default_data_dir()) s.data = st_.data_source;
  s.backend = opts_.backend;
  s.threads = opts_.threads;
  s.noise = st_.noise;
  s.pacing = st_.pacing;
  s.brush = st_.brush;
  s.view = st_.view;
  s.timeline = st_.tl.view;
  s.captions = st_.captions;
  s.train = st_.train;
  s.recipe = st_.model.recipe;
  const std::string save = ui_.ckpt_path;
  if (!save.empty() && !shipped(save)) s.save_to = save;
  s.save_optimizer = ui_.save_optimizer;
  // Only while B runs: a session without A/B reads as before.
  s.ab_json = st_.ab.on() ? ab_session_json(st_.ab.state) : "";
  return s;
}

void Studio::apply_settings(const StudioSettings& s) {
  if (!s.checkpoint.empty() && s.checkpoint != st_.model.source) {
    load_checkpoint_from(fs::absolute(s.checkpoint).lexically_normal().string());
  } else if (s.checkpoint.empty() && !s.preset.empty() &&
             (!st_.model.fresh || s.preset != st_.model.config.preset)) {
    use_preset(s.preset);
  }
  const std::string data = s.data.empty() ? default_data_dir() : s.data;
  if (data != st_.data_source) open_path(data);
  if (s.backend != opts_.backend || (s.threads != opts_.threads && s.threads > 0))
    notice("the session's backend (" + s.backend + ", " + std::to_string(s.threads) +
           " threads) applies when the studio starts: rrcnn gui --session FILE");
  Command c{Cmd::kSetNoise};
  c.noise = s.noise;
  apply(c);
  c = Command{Cmd::kSetPacing};
  c.pacing = s.pacing;
  // A scripted run steps by its script: a session that played would race it.
  if (script_) c.pacing.playing = false;
  apply(c);
  c = Command{Cmd::kSetBrush};
  c.brush = s.brush;
  apply(c);
  c = Command{Cmd::kSetView};
  c.view = s.view;
  apply(c);
  c = Command{Cmd::kSetTimeline};
  c.timeline = s.timeline;
  apply(c);
  st_.captions = s.captions;
  c = Command{Cmd::kSetTrain};
  c.train = s.train;
  apply(c);
  std::snprintf(ui_.ckpt_path, sizeof ui_.ckpt_path, "%s", s.save_to.c_str());
  ui_.save_optimizer = s.save_optimizer;
  st_.session.ab_json = s.ab_json;
  apply_ab_settings(s.ab_json);
}

void Studio::apply_ab_settings(const std::string& ab_json) {
  const AbState want = ab_json.empty() ? AbState{} : ab_state_from_json(ab_json, "session 'ab'");
  Command c{Cmd::kAb};
  if (want.on && want.source == AbSource::kFile && !want.path.empty()) {
    if (!st_.ab.on() || st_.ab.state.path != want.path) {
      c.n = int(AbAction::kLoad);
      c.path = want.path;
      apply(c);
    }
  } else if (want.on) {
    // A snapshot or a swapped-out model lived only in the studio that made it.
    notice("the session's B was a " + std::string(want.source == AbSource::kSnapshot ? "snapshot" : "swapped-out model") +
           " of that studio's weights, which no file holds: load B from a file (Controls > A/B)");
  } else if (st_.ab.on()) {
    c.n = int(AbAction::kOff);
    apply(c);
  }
  c = Command{Cmd::kAb};
  c.n = int(AbAction::kShowB);
  c.flag = want.show_b;
  apply(c);
  c.n = int(AbAction::kShowDiff);
  c.flag = want.show_diff;
  apply(c);
}

void Studio::update_session_commands() {
  const Session s = to_session(current_settings());
  st_.session.commands.clear();
  st_.command_line.clear();
  for (const std::string& cmd : session_commands()) {
    const std::string line = session_command_line(s, cmd);
    st_.session.commands.push_back({cmd, line});
    st_.command_line += (st_.command_line.empty() ? "" : "\n\n") + line;
  }
}

void Studio::open_session_browser(BrowsePurpose purpose) {
  const std::time_t now = std::time(nullptr);
  const std::string dir = st_.session.file.empty() ? st_.out_dirs.data
                                                   : fs::path(st_.session.file).parent_path().string();
  if (purpose == BrowsePurpose::kSaveSession)
    ui_.browser.open(purpose, "Save the session (every setting) as", dir,
                     st_.session.file.empty() ? timestamped_name("rrcnn-session", ".json", now)
                                              : fs::path(st_.session.file).filename().string(),
                     {".json"});
  else if (purpose == BrowsePurpose::kLoadSession)
    ui_.browser.open(purpose, "Load a session", dir, "", {".json"});
  else
    ui_.browser.open(purpose, "Record the session (a replayable script) to", st_.out_dirs.data,
                     timestamped_name("rrcnn-recording", ".script", now), {".script"});
}

bool Studio::apply_session(const Command& c) {
  switch (c.kind) {
    case Cmd::kSaveSession: {
      if (c.path.empty()) {
        ensure_dir(st_.out_dirs.data);
        open_browser(BrowsePurpose::kSaveSession);
        return true;
      }
      const std::string path = resolve(c, st_.out_dirs.data);
      if (!may_write(c, path)) return true;
      save_session(path, to_session(current_settings()));
      st_.session.file = path;
      st_.written.push_back(path);
      notice("session saved to " + path + " (rrcnn gui --session FILE opens it)");
      return true;
    }
    case Cmd::kLoadSession: {
      if (c.path.empty()) {
        open_browser(BrowsePurpose::kLoadSession);
        return true;
      }
      const std::string path = resolve_input(c);
      apply_settings(from_session(load_session(path)));  // nothing changes when the file is bad
      st_.session.file = path;
      notice("session loaded from " + path);
      return true;
    }
    case Cmd::kRecordSession:
      if (c.path.empty() && c.script_line == 0) {
        // From the menu or Ctrl+R: a new file in the data folder, no question asked.
        start_recording(fresh_output(st_.out_dirs.data, "rrcnn-recording", ".script"));
        return true;
      }
      {
        const std::string path = resolve(c, st_.out_dirs.data);
        if (may_write(c, path)) start_recording(path);
      }
      return true;
    case Cmd::kStopRecording:
      stop_recording();
      return true;
    case Cmd::kCopyCommand: {
      if (c.path == "close") {
        st_.session.show_commands = false;
        return true;
      }
      update_session_commands();
      const std::string want = c.path.empty() ? "render" : c.path;
      for (const SessionCommandLine& l : st_.session.commands)
        if (l.command == want) {
          ImGui::SetClipboardText(l.line.c_str());  // GLFW's clipboard, through the backend
          st_.session.copied = l.line;
        }
      st_.session.show_commands = true;
      notice("copied the rrcnn " + want + " command to the clipboard");
      return true;
    }
    case Cmd::kRestore: {
      canvas_batch_ = 0;
      st_.noise.seed = c.noise.seed;
      SimCommand s{SimOp::kRestore};
      s.seed = c.noise.seed;
      s.n = c.n;
      s.episode = c.episode;
      sim_->post(s);
      return true;
    }
    case Cmd::kSetBrush:
    case Cmd::kSetView:
    case Cmd::kSetPacing:
      if (st_.session.recording) {
        const std::string lines = setting_lines(c, st_);
        if (!lines.empty()) {
          SimCommand n{SimOp::kNote};
          n.text = lines;
          sim_->post(n);
        }
      }
      return false;  // apply() carries it out
    default:
      return false;
  }
}

void Studio::start_recording(const std::string& path) {
  RRCNN_CHECK(!st_.session.recording,
              "a session is being recorded already (to " << st_.session.record_path << ")");
  const bool preset_weights = st_.model.fresh && st_.model.init_seed == 0 && !st_.model.unsaved;
  RRCNN_CHECK(preset_weights || (!st_.model.fresh && !st_.model.unsaved),
              "save the weights first (Ctrl+S): a recording replays them from a file");
  RRCNN_CHECK(path.find_first_of(" \t") == std::string::npos,
              "a recording's file name cannot contain spaces (script words are split at them)");
  RRCNN_CHECK(st_.model.source.find_first_of(" \t") == std::string::npos,
              "the checkpoint's path '" << st_.model.source
                                        << "' contains a space, which a script line cannot hold");
  ensure_dir(fs::path(path).parent_path().string());
  record_lines_.clear();
  st_.session.recording = true;
  st_.session.record_path = path;
  st_.session.record_lines = 0;
  st_.session.record_exact = true;
  begin_journal();
  notice("recording the session to " + path + " (Ctrl+R stops)");
}

void Studio::begin_journal() {
  std::ostringstream h;
  h << "pause\n";
  if (st_.model.fresh) h << "preset " << st_.model.config.preset << "\n";
  else h << "load " << st_.model.source << "\n";
  h << "noise "
    << (st_.noise.random_alpha ? std::string("random") : float_text(st_.noise.alpha)) << "\n"
    << "dropout " << float_text(st_.noise.dropout) << "\n"
    << "seed " << st_.noise.seed << "\n"
    << "batch " << st_.noise.batch << "\n"
    << "rollout " << st_.pacing.rollout_length << "\n"
    << "brush " << brush_mode_name(st_.brush.mode) << " " << float_text(st_.brush.radius);
  SimCommand s{SimOp::kJournal};
  s.flag = true;
  s.text = h.str();
  sim_->post(s);
}

void Studio::poll_recording() {
  if (!st_.session.recording || !sim_) return;
  bool exact_so_far = true;
  for (std::string& l : sim_->take_journal(&exact_so_far)) record_lines_.push_back(std::move(l));
  st_.session.record_exact = st_.session.record_exact && exact_so_far;
  st_.session.record_lines = int(record_lines_.size());
}

void Studio::stop_recording() {
  if (!st_.session.recording) return;
  SimCommand s{SimOp::kJournal};
  s.flag = false;
  sim_->post(s);
  sim_->sync();
  poll_recording();
  st_.session.recording = false;
  const std::string& path = st_.session.record_path;
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    RRCNN_CHECK(out.good(), "cannot write the recording '" << path << "'");
    out << "# RRCNN Studio session recording (" << st_.status.backend << ", " << st_.status.device
        << ").\n# Replays bit for bit on the same backend and thread count:\n"
        << "#   rrcnn gui --script " << path << "\n#   rrcnn render --script " << path
        << " --out run.gif\n";
    if (!st_.session.record_exact)
      out << "# NOT EXACT: weights changed by training or a fork during the recording (see the "
             "remarks below)\n";
    out << "recorded\n";  // the answers to the studio's questions were given when recording
    for (const std::string& l : record_lines_) out << l << "\n";
    RRCNN_CHECK(out.good(), "cannot write the recording '" << path << "' (disk full?)");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  RRCNN_CHECK(!ec, "cannot write the recording '" << path << "': " << ec.message());
  st_.written.push_back(path);
  notice("session recorded to " + path + " (" + std::to_string(record_lines_.size()) + " lines" +
         (st_.session.record_exact ? ")" : "; not exact: training or a fork changed the weights)"));
}

std::string Studio::state_hash() {
  sim_->sync();
  SimSnapshot s;
  sim_->fetch(&s);
  return state_hash_hex(s.state);
}

}  // namespace rrcnn
