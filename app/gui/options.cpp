// Flag parsing for the GUI (see options.h), on the same CLI11 declarations as the headless
// commands (cli/flags.h).
#include "gui/options.h"

#include "cli/flags.h"
#include "core/error.h"

namespace rrcnn {
namespace {

// Every flag of `rrcnn gui`, in the order --help lists them.
void declare_gui_flags(Flags& f) {
  f.text("ckpt", "FILE", "checkpoint to open (default: the pretrained one when present)")
      .text("data", "DIR", "directory of IDX digits (default: the embedded 10k digits)")
      .choice("backend", "auto|cpu|cuda", "compute backend (default auto: CUDA when a GPU is present)",
              {"auto", "cpu", "cuda"})
      .choice("preset", "seed|lite", "model size when starting without a checkpoint", {"seed", "lite"})
      .integer("batch", "N", "digits in the live view (default 8)", 1, 64)
      .integer("width", "W", "window width in screen units (default 1600)", 320, 16384)
      .integer("height", "H", "window height in screen units (default 960)", 240, 16384)
      .number("font-scale", "S", "UI scale (default: the monitor's content scale)", 0.0f, 8.0f)
      .integer("threads", "N", "CPU threads (default: all cores)", 0, 1024)
      .flag("paused", "open with the live view paused (default: it plays at once)")
      .text("session", "FILE",
            "every setting from a session file (File > Save session); flags\n"
            "after it override it (docs/sessions.md)")
      .text("record", "FILE",
            "record what you do as a script that replays the same states:\n"
            "rrcnn gui --script FILE, rrcnn render --script FILE --out run.gif")
      .text("config-dir", "DIR", "where the window layout is saved (default ~/.config/rrcnn-studio)")
      .text("output-dir", "DIR",
            "where screenshots, GIFs, checkpoints and loss CSVs go by default\n"
            "(default: ~/Pictures/rrcnn-studio for pictures,\n"
            "~/.local/share/rrcnn-studio for the rest; XDG variables apply)");
  f.group("scripted runs (tests, screenshots)")
      .integer("frames", "N", "quit after N frames (and after the script has finished)", 0, 100000000)
      .text("script", "FILE",
            "actions to run, one per line (play, paint, train start, ...);\n"
            "the live view starts paused, so steps come from the script")
      .text("screenshot", "FILE", "write a PNG of the window after the last frame")
      .text("report", "FILE",
            "write a JSON report (frame times, live steps/s, PSNR per digit,\n"
            "probes, training, files written, errors with their script line)")
      .footer("  (RRCNN_GUI_TRACE=1 prints every key event and command to stderr)")
      .help_column(23);
}

}  // namespace

std::string gui_usage() {
  Flags f("gui", "usage: rrcnn gui [flags]   (plain `rrcnn` does the same)");
  declare_gui_flags(f);
  return f.help();
}

GuiOptions parse_gui_options(const std::vector<std::string>& argv) {
  Flags a("gui", "usage: rrcnn gui [flags]");
  declare_gui_flags(a);
  GuiOptions o;
  o.help = !a.parse(argv);
  if (o.help) return o;
  o.ckpt = a.str("ckpt");
  o.data = a.str("data");
  o.backend = a.str("backend", "auto");
  o.preset = a.str("preset");
  o.batch = a.integer("batch", 8);
  o.width = a.integer("width", 1600);
  o.height = a.integer("height", 960);
  o.frames = a.integer("frames", 0);
  o.script = a.str("script");
  o.screenshot = a.str("screenshot");
  o.report = a.str("report");
  o.config_dir = a.str("config-dir");
  o.output_dir = a.str("output-dir");
  o.font_scale = a.number("font-scale", 0.0f);
  o.threads = a.integer("threads", 0);
  o.paused = a.has("paused");
  o.session = a.str("session");
  o.record = a.str("record");
  return o;
}

}  // namespace rrcnn
