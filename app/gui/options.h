// Command-line flags of `rrcnn gui` (and of plain `rrcnn`): which checkpoint, data and backend
// to open, the window size, and the scripted mode the smoke test and the screenshots use.
// Pure parsing, no window: unit-tested in tests/gui.
#pragma once

#include <string>
#include <vector>

namespace rrcnn {

struct GuiOptions {
  std::string ckpt;  // empty: the default checkpoint when it exists
  std::string data;  // empty: the embedded digits
  std::string backend = "auto";
  std::string preset;  // empty: the checkpoint's config (or "seed" without one)
  int batch = 8;
  int width = 1600, height = 960;
  int frames = 0;           // > 0: quit after this many frames (scripted runs)
  std::string script;       // FILE of scripted actions (see script.h)
  std::string screenshot;   // PNG written after the last frame
  std::string report;       // JSON report of a scripted run
  std::string config_dir;   // where imgui.ini and recent files live; empty: user config dir
  std::string output_dir;   // where screenshots, GIFs, checkpoints go; empty: XDG folders
  float font_scale = 0.0f;  // 0: from the monitor's content scale
  int threads = 0;          // CPU threads (0 = all cores)
  bool paused = false;      // start with the live view paused (scripted runs always do)
  std::string session;      // FILE: every setting from a session file (session_file.h)
  std::string record;       // FILE: record the session as a replayable script from the start
  bool help = false;
};

// Throws rrcnn::Error naming the bad flag.
GuiOptions parse_gui_options(const std::vector<std::string>& args);

// The help of `rrcnn gui --help`, generated from the flags parse_gui_options accepts.
std::string gui_usage();

}  // namespace rrcnn
