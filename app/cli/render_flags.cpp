// `rrcnn render`'s flags (see render_flags.h).
#include "cli/render_flags.h"

#include "cli/model_setup.h"
#include "core/error.h"

namespace rrcnn {
namespace {

// The flags one mode takes and the other does not; the rest (ckpt, out, data, scale, backend,
// threads) mean the same in both.
const char* const kRolloutOnly[] = {"steps", "digits", "first", "alpha", "seed",  "dropout",
                                    "every", "delay",  "frame", "curve", "change", "precision"};
const char* const kReplayOnly[] = {"batch", "report"};

}  // namespace

std::unique_ptr<Flags> render_flags() {
  auto flags = std::make_unique<Flags>(
      "render", "usage: rrcnn render --ckpt FILE --out FILE.gif|FILE.png [flags]",
      "       rrcnn render --script FILE --out FILE.gif [flags]   (a studio script, replayed)");
  Flags& f = *flags;
  f.text("ckpt", "FILE", "checkpoint to run (required; with --script: the model before the\n"
                         "script loads one, default the studio's default model)")
      .text("out", "FILE", "the GIF or PNG to write (required; with --script a GIF)")
      .integer("steps", "N", "rollout steps (default: 2 x the training horizon, as the reference shows)",
               0, 100000)
      .integer("digits", "B", "digits side by side (default 8)", 1, 64)
      .integer("first", "I", "first held-out digit (default 0)", 0, 1000000)
      .number("alpha", "A", "noise level in [0,1] (default: random per digit, as in training)", -1.0f, 1.0f)
      .u64("seed", "S", "noise and dropout seed (default 0)")
      .number("dropout", "R", "cell dropout while running (default: the model's rate)", 0.0f, 0.99f)
      .integer("scale", "K", "pixels per cell (default 4; with --script 3, as the studio's GIFs)", 1, 32)
      .integer("every", "N", "GIF: keep every Nth step (default 1)", 1, 100000)
      .integer("delay", "CS", "GIF: hundredths of a second per frame (default 5)", 1, 6000)
      .integer("frame", "N", "PNG: which step to draw (default: the last)", 0, 100000)
      .text("data", "DIR", "IDX digits (default: the embedded MNIST subset)")
      .text("curve", "F.png", "also: the MSE of every digit and their mean after every step, as a plot")
      .text("change", "F.gif",
            "also: where cells still change, |s_t - s_(t-1)| summed over channels,\n"
            "every step (--every) as a GIF row of the digits (log scale 0.01..10)");
  add_session_flag(f);
  f.group("script replay (rrcnn render --script FILE --out run.gif)")
      .text("script", "FILE",
            "replay a studio script (a session recorded with Ctrl+R or\n"
            "`rrcnn gui --record FILE`) without a window: the same states bit for\n"
            "bit on the same backend and thread count, from the recording's start\n"
            "(its `restore` line) to the end of the script; takes --ckpt, --out,\n"
            "--data, --scale, --backend and --threads besides these (builds with\n"
            "the GUI only: the replay runs the studio's live-view worker)")
      .integer("batch", "N", "digits before the script sets them (default 8, as the studio)", 1, 64)
      .text("report", "FILE", "also write the result (frames, live step, state hash) as JSON")
      .help_column(18);
  add_backend_flags(f);
  return flags;
}

void check_render_mode(const Flags& f, bool script) {
  if (script) {
    for (const char* name : kRolloutOnly)
      RRCNN_CHECK(!f.has(name),
                  "rrcnn render --script: --" << name << " does not apply to a script replay");
    return;
  }
  // main routes `render --script` to the replay when the build has it (script_replay.h).
  RRCNN_CHECK(!f.has("script"), "rrcnn render: --script needs a build with the GUI (the replay runs "
                                "the studio's live-view worker)");
  for (const char* name : kReplayOnly)
    RRCNN_CHECK(!f.has(name), "rrcnn render: --" << name << " needs --script FILE");
}

}  // namespace rrcnn
