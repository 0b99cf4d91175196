// `rrcnn train`: flags, terminal progress and signals around core/training_driver (the recipe,
// schedule, divergence handling, saving and the JSONL log live there, shared with the studio).
// No lost work: SIGINT, SIGTERM and SIGHUP finish the step in progress, save atomically and exit
// with 128 + the signal number (a second signal ends the process at once); a diverging run
// saves the last good parameters and Adam state next to the output.
#include <signal.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/config_flags.h"
#include "cli/model_setup.h"
#include "cli/progress.h"
#include "cli/train_pool.h"
#include "core/config_json.h"
#include "core/error.h"
#include "core/training_driver.h"

namespace rrcnn {
namespace {

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};
volatile sig_atomic_t g_stop_signal = 0;

extern "C" void on_stop_signal(int signo) {
  g_stop_signal = signo;
  // A second signal of any of the three ends the process at once (sigaction is async-signal-safe).
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int s : kStopSignals) sigaction(s, &dfl, nullptr);
}

// Installs the stop handlers for the training loop and restores the previous ones on scope exit.
// SIGPIPE is ignored meanwhile: after a hangup, writing progress to a closed pipe (ssh without a
// terminal) must not kill the process before it saves.
class StopSignals {
 public:
  StopSignals() {
    g_stop_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < 3; ++i) sigaction(kStopSignals[i], &sa, &previous_[i]);
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &previous_pipe_);
  }
  ~StopSignals() {
    for (size_t i = 0; i < 3; ++i) sigaction(kStopSignals[i], &previous_[i], nullptr);
    sigaction(SIGPIPE, &previous_pipe_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  int received() const { return g_stop_signal; }

 private:
  struct sigaction previous_[3];
  struct sigaction previous_pipe_;
};

const char* signal_name(int signo) {
  switch (signo) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default: return "a signal";
  }
}

// Every flag of `rrcnn train`, in the order --help lists them.
void declare_train_flags(Flags& f) {
  f.integer("steps", "N", "optimiser steps to run (default 8192)", 0, 100000000)
      .integer("batch", "B", "digits per step (default 8)", 1, 4096)
      .number("lr", "X",
              "start learning rate (default 1e-3; decays linearly to X/10 over\n"
              "2000 steps as in the reference)",
              1e-8f, 1.0f)
      .number("lr-end", "X", "final learning rate (default lr/10)", 1e-9f, 1.0f)
      .u64("seed", "S", "seed for initialisation, noise, masks and batches (default 0)")
      .text("data", "DIR", "IDX digits (default: the embedded MNIST subset)")
      .text("out", "FILE",
            "checkpoint to write (default rrcnn-CONFIG.safetensors, or the\n"
            "--resume file)")
      .text("resume", "FILE", "continue from a checkpoint (its config, weights and Adam state)")
      .text("init", "FILE",
            "start from a checkpoint's config and weights with a fresh optimiser\n"
            "and schedule (fine-tuning); the file is named in the metadata")
      .text("log", "FILE.jsonl",
            "one JSON line per step: step, loss, lr, grad_norm, seconds, after\n"
            "a first line naming the run (default OUT.jsonl next to the\n"
            "checkpoint, appended to when resuming)")
      .flag("no-log", "keep no log")
      .integer("save-every", "N", "also save every N steps (default 500)", 1, 100000000)
      .flag("no-optimizer-state", "save weights only (smaller file; resuming restarts Adam)")
      .flag("quiet", "no progress output");
  add_session_flag(f);
  add_config_flags(f, true);
  add_pool_flags(f);
  add_backend_flags(f);
  f.footer(
      "SIGINT (Ctrl-C), SIGTERM and SIGHUP finish the current step, save and exit with 128 + the\n"
      "signal number; a second signal ends at once. If training diverges, the last good state is\n"
      "saved as OUT.last-good.safetensors.");
}

}  // namespace

int cmd_train(const std::vector<std::string>& argv) {
  Flags args("train", "usage: rrcnn train [flags]");
  declare_train_flags(args);
  if (!args.parse(argv)) {
    std::fputs(args.help().c_str(), stdout);
    return 0;
  }
  Checkpoint ck;
  // --horizon T is the config's rollout length; with --pool it is the pool's range LO..HI.
  const bool pool_on = args.integer("pool", 0) > 0;
  const int horizon = !pool_on && args.has("horizon") ? args.integer("horizon", 0, 1, 100000) : 0;
  bool fresh = !args.has("resume");
  std::string origin;  // "; init FILE" in the note, kept across --resume
  RRCNN_CHECK(!(args.has("init") && args.has("resume")),
              "rrcnn train: --init starts a new run from a checkpoint's weights; --resume continues one: pick one");
  if (args.has("init")) {
    RRCNN_CHECK(!has_architecture_flags(args),
                "rrcnn train: --config, --preset and the architecture flags conflict with --init "
                "(the checkpoint fixes the model; --horizon may change)");
    const Checkpoint from = load_checkpoint(args.str("init"));
    ck.config = from.config;
    if (horizon >= 1) ck.config.rollout_steps = horizon;
    ck.seed = args.u64("seed", 0);
    ck.params = from.params;  // a fresh optimiser and schedule: no Adam state
    fresh = false;
    origin = "; init " + args.str("init");
  } else if (args.has("resume")) {
    RRCNN_CHECK(!has_architecture_flags(args),
                "rrcnn train: --config, --preset and the architecture flags conflict with --resume "
                "(the checkpoint fixes the model; --horizon may change)");
    ck = load_checkpoint(args.str("resume"));
    ck.seed = args.u64("seed", ck.seed);
    if (horizon >= 1) ck.config.rollout_steps = horizon;
    const size_t at = ck.note.find("; init ");
    if (at != std::string::npos) origin = ck.note.substr(at);
  } else {
    ck.config = config_from_flags(args, horizon);
    ck.seed = args.u64("seed", 0);
  }
  TrainConfig tc;
  tc.steps = args.integer("steps", 8192);
  tc.batch = args.integer("batch", 8);
  tc.lr_start = args.number("lr", tc.lr_start);
  tc.lr_end = args.number("lr-end", tc.lr_start / 10);
  tc.seed = ck.seed;
  tc.validate();
  const std::string out = args.str("out", args.has("resume") ? args.str("resume")
                                                             : "rrcnn-" + ck.config.preset + ".safetensors");
  const int save_every = args.integer("save-every", 500);
  Recipe recipe;
  recipe.pool = parse_pool_flags(args, tc.batch, &recipe.pool_config);
  RRCNN_CHECK(!(args.has("resume") && ck.recipe == "pool" && !args.has("pool")),
              args.str("resume") << " was trained with a sample pool (" << ck.note
                                 << "): pass the same --pool flags to continue it, or --pool 0 "
                                    "to go on with the reference recipe");
  RRCNN_CHECK(!(args.has("log") && args.has("no-log")), "rrcnn train: --log and --no-log conflict");
  DriverOptions options;
  options.out = out;
  options.log_path = args.has("no-log") ? "-" : args.str("log", "");
  options.save_every = save_every;
  options.with_optimizer = !args.has("no-optimizer-state");
  options.writer = "rrcnn train";
  options.note_suffix = origin;

  const DataSplit data = open_data(args);
  RRCNN_CHECK(data.train.height == ck.config.height && data.train.width == ck.config.width,
              "rrcnn train: the data's " << data.train.height << "x" << data.train.width
                                         << " images do not fit the model's "
                                         << ck.config.height << "x" << ck.config.width << " grid");
  const bool quiet = args.has("quiet");
  auto backend = open_backend(args, ck.config, quiet);
  TrainingDriver driver(*backend, data.train, ck, fresh, tc, recipe, options,
                        args.has("resume") ? args.str("resume") + ".pool" : "");
  if (recipe.pool && !quiet)
    std::fprintf(stderr, "sample pool: %s (%s)\n", recipe.pool_config.describe().c_str(),
                 driver.pool_resumed() ? "continued from the saved pool" : "fresh");

  const ParamLayout& layout = backend->layout();
  const int64_t first = driver.first_step();
  // Handlers go in before the "training" line, so a signal sent once that line is out saves.
  const StopSignals stop;
  if (!quiet)
    std::fprintf(stderr, "training %s [%s] (%zu parameters, %zu trained) for %d steps from step "
                         "%lld, batch %d, %s -> %s%s%s\n",
                 ck.config.preset.c_str(), describe_model_config(ck.config).c_str(), layout.total(),
                 layout.trained_count(), tc.steps, (long long)first, tc.batch,
                 data.train.source.c_str(), out.c_str(), driver.log_path().empty() ? "" : ", log ",
                 driver.log_path().c_str());
  Progress progress(first, tc.steps, quiet);
  driver.on_step = [&](const StepReport& r) { progress.update(r.step, r.loss, r.lr); };
  try {
    driver.run(tc.steps, [&] { return stop.received() != 0; });
  } catch (const DivergedError&) {
    progress.finish("");  // the driver saved the last good state; its message says where
    throw;
  }
  const int64_t step = driver.optimizer_step();
  const int signo = stop.received();
  std::ostringstream msg;
  if (signo) msg << "interrupted by " << signal_name(signo) << ": ";
  msg << "saved " << out << " at step " << step << " (average loss of the last steps "
      << progress.average_loss() << ", " << progress.elapsed() << " s)";
  if (signo && quiet)
    std::fprintf(stderr, "rrcnn train: %s\n", msg.str().c_str());  // where the work went, always
  progress.finish(msg.str());
  return signo ? 128 + signo : 0;
}

}  // namespace rrcnn
