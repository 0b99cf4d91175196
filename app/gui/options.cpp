// Flag parsing for the GUI (see options.h), on the same Args parser as the headless commands.
#include "gui/options.h"

#include "cli/args.h"
#include "core/error.h"

namespace rrcnn {

const char* gui_usage() {
  return "usage: rrcnn gui [flags]   (plain `rrcnn` does the same)\n"
         "  --ckpt FILE          checkpoint to open (default: the pretrained one when present)\n"
         "  --data DIR           directory of IDX digits (default: the embedded 10k digits)\n"
         "  --backend auto|cpu|cuda   compute backend (default auto: CUDA when a GPU is present)\n"
         "  --preset seed|lite   model size when starting without a checkpoint\n"
         "  --batch N            digits in the live view (default 8)\n"
         "  --width W --height H window size in screen units (default 1600x960)\n"
         "  --font-scale S       UI scale (default: the monitor's content scale)\n"
         "  --threads N          CPU threads (default: all cores)\n"
         "  --paused             open with the live view paused (default: it plays at once)\n"
         "  --session FILE       every setting from a session file (File > Save session); flags\n"
         "                       after it override it (docs/sessions.md)\n"
         "  --record FILE        record what you do as a script that replays the same states:\n"
         "                       rrcnn gui --script FILE, rrcnn render --script FILE --out run.gif\n"
         "  --config-dir DIR     where the window layout is saved (default "
         "~/.config/rrcnn-studio)\n"
         "  --output-dir DIR     where screenshots, GIFs, checkpoints and loss CSVs go by default\n"
         "                       (default: ~/Pictures/rrcnn-studio for pictures,\n"
         "                       ~/.local/share/rrcnn-studio for the rest; XDG variables apply)\n"
         "scripted runs (tests, screenshots):\n"
         "  --frames N           quit after N frames (and after the script has finished)\n"
         "  --script FILE        actions to run, one per line (play, paint, train start, ...);\n"
         "                       the live view starts paused, so steps come from the script\n"
         "  --screenshot FILE    write a PNG of the window after the last frame\n"
         "  --report FILE        write a JSON report (frame times, live steps/s, PSNR per digit,\n"
         "                       probes, training, files written, errors with their script line)\n"
         "  (RRCNN_GUI_TRACE=1 prints every key event and command to stderr)\n";
}

GuiOptions parse_gui_options(const std::vector<std::string>& argv) {
  const Args a("gui", argv,
               {"ckpt", "data", "backend", "preset", "batch", "width", "height", "frames", "script",
                "screenshot", "report", "config-dir", "output-dir", "font-scale", "threads", "session",
                "record"},
               {"paused"});
  GuiOptions o;
  o.help = a.help();
  o.ckpt = a.str("ckpt");
  o.data = a.str("data");
  o.backend = a.str("backend", "auto");
  RRCNN_CHECK(o.backend == "auto" || o.backend == "cpu" || o.backend == "cuda",
              "rrcnn gui: --backend '" << o.backend << "' (choose auto, cpu or cuda)");
  o.preset = a.str("preset");
  RRCNN_CHECK(o.preset.empty() || o.preset == "seed" || o.preset == "lite",
              "rrcnn gui: --preset '" << o.preset << "' (choose seed or lite)");
  o.batch = a.integer("batch", 8, 1, 64);
  o.width = a.integer("width", 1600, 320, 16384);
  o.height = a.integer("height", 960, 240, 16384);
  o.frames = a.integer("frames", 0, 0, 100000000);
  o.script = a.str("script");
  o.screenshot = a.str("screenshot");
  o.report = a.str("report");
  o.config_dir = a.str("config-dir");
  o.output_dir = a.str("output-dir");
  o.font_scale = a.number("font-scale", 0.0f, 0.0f, 8.0f);
  o.threads = a.integer("threads", 0, 0, 1024);
  o.paused = a.has("paused");
  o.session = a.str("session");
  o.record = a.str("record");
  return o;
}

}  // namespace rrcnn
