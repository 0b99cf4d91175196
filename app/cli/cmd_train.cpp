// `rrcnn train`: headless training with progress, JSONL log, periodic saving, and no lost work:
// SIGINT, SIGTERM and SIGHUP finish the step in progress, save atomically and exit with
// 128 + the signal number (a second signal ends the process at once); a diverging run saves
// the last good parameters and Adam state next to the output.
#include <cstdint>
#include <signal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/model_setup.h"
#include "cli/progress.h"
#include "cli/train_pool.h"
#include "core/error.h"
#include "core/init.h"

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

// model.safetensors -> model.last-good.safetensors (any other name gets the suffix appended).
std::string last_good_path(const std::string& out) {
  const std::string ext = ".safetensors";
  const bool has_ext = out.size() > ext.size() && out.compare(out.size() - ext.size(), ext.size(), ext) == 0;
  return (has_ext ? out.substr(0, out.size() - ext.size()) : out) + ".last-good" + ext;
}

const char* kTrainHelp =
    "usage: rrcnn train [flags]\n"
    "  --preset seed|lite     model size (default seed: the reference configuration)\n"
    "  --steps N              optimiser steps to run (default 8192)\n"
    "  --batch B              digits per step (default 8)\n"
    "  --lr X                 start learning rate (default 1e-3; decays linearly to X/10 over\n"
    "                         2000 steps as in the reference)\n"
    "  --lr-end X             final learning rate (default lr/10)\n"
    "  --seed S               seed for initialisation, noise, masks and batches (default 0)\n"
    "  --data DIR             IDX digits (default: the embedded MNIST subset)\n"
    "  --out FILE             checkpoint to write (default rrcnn-PRESET.safetensors, or the\n"
    "                         --resume file)\n"
    "  --resume FILE          continue from a checkpoint (its config, weights and Adam state)\n"
    "  --log FILE.jsonl       one JSON line per step: step, loss, lr, grad_norm, seconds\n"
    "  --save-every N         also save every N steps (default 500)\n"
    "  --no-optimizer-state   save weights only (smaller file; resuming restarts Adam)\n"
    "  --quiet                no progress output\n"
    "SIGINT (Ctrl-C), SIGTERM and SIGHUP finish the current step, save and exit with 128 + the\n"
    "signal number; a second signal ends at once. If training diverges, the last good state is\n"
    "saved as OUT.last-good.safetensors.\n";

}  // namespace

int cmd_train(const std::vector<std::string>& argv) {
  std::set<std::string> valued = {"preset", "steps",      "batch",   "lr",     "lr-end",
                                  "seed",   "data",       "out",     "resume", "log",
                                  "save-every", "backend", "threads", "precision"};
  valued.insert(pool_flag_names().begin(), pool_flag_names().end());
  const Args args("train", argv, valued, {"no-optimizer-state", "quiet"});
  if (args.help()) {
    std::fputs(kTrainHelp, stdout);
    std::fputs(kPoolFlagsHelp, stdout);
    std::fputs(kBackendFlagsHelp, stdout);
    return 0;
  }
  Checkpoint ck;
  if (args.has("resume")) {
    RRCNN_CHECK(!args.has("preset"), "rrcnn train: --preset conflicts with --resume (the checkpoint "
                                     "fixes the model)");
    ck = load_checkpoint(args.str("resume"));
    ck.seed = args.u64("seed", ck.seed);
  } else {
    ck.config = model_preset(args.str("preset", "seed"));
    ck.seed = args.u64("seed", 0);
  }
  TrainConfig tc;
  tc.steps = args.integer("steps", 8192, 0, 100000000);
  tc.batch = args.integer("batch", 8, 1, 4096);
  tc.lr_start = args.number("lr", tc.lr_start, 1e-8f, 1.0f);
  tc.lr_end = args.number("lr-end", tc.lr_start / 10, 1e-9f, 1.0f);
  tc.seed = ck.seed;
  tc.validate();
  const std::string out = args.str("out", args.has("resume") ? args.str("resume")
                                                             : "rrcnn-" + ck.config.preset + ".safetensors");
  const int save_every = args.integer("save-every", 500, 1, 100000000);
  PoolConfig pool_config;
  const bool use_pool = parse_pool_flags(args, tc.batch, &pool_config);
  RRCNN_CHECK(!(args.has("resume") && ck.recipe == "pool" && !args.has("pool")),
              args.str("resume") << " was trained with a sample pool (" << ck.note
                                 << "): pass the same --pool flags to continue it, or --pool 0 "
                                    "to go on with the reference recipe");
  const bool with_opt = !args.has("no-optimizer-state");

  const DataSplit data = open_data(args);
  RRCNN_CHECK(data.train.height == ck.config.height && data.train.width == ck.config.width,
              "rrcnn train: the data's " << data.train.height << "x" << data.train.width
                                         << " images do not fit the model's "
                                         << ck.config.height << "x" << ck.config.width << " grid");
  auto backend = open_backend(args, ck.config, args.has("quiet"));
  backend->set_train_config(tc);
  const ParamLayout& layout = backend->layout();
  backend->set_params(args.has("resume") ? ck.params : init_params(layout, ck.seed));
  if (args.has("resume")) backend->set_adam_state(ck.adam);
  std::unique_ptr<PoolTrainer> pool;
  const std::string pool_path = out + ".pool";
  if (use_pool) {
    pool = std::make_unique<PoolTrainer>(*backend, data.train, pool_config, ck.seed);
    const bool resumed = args.has("resume") && pool->load(args.str("resume") + ".pool");
    if (!args.has("quiet"))
      std::fprintf(stderr, "sample pool: %s (%s)\n", pool_config.describe().c_str(),
                   resumed ? "continued from the saved pool" : "fresh");
  }

  std::ofstream log;
  if (args.has("log")) {
    log.open(args.str("log"), std::ios::app);
    RRCNN_CHECK(log.good(), args.str("log") << ": cannot open the log for writing");
  }
  auto save = [&](const std::string& path, bool optimizer_state) {
    ck.params = backend->params();
    ck.adam = backend->adam_state();
    ck.note = use_pool ? "rrcnn train, " + pool_config.describe() : "rrcnn train";
    ck.recipe = use_pool ? "pool" : "seed";  // the studio runs a pool model indefinitely
    save_checkpoint(path, ck, optimizer_state);
    if (pool && path == out) pool->save(pool_path);
  };

  const int64_t first = backend->adam_state().step;
  // Handlers go in before the "training" line, so a signal sent once that line is out saves.
  const StopSignals stop;
  const bool quiet = args.has("quiet");
  if (!quiet)
    std::fprintf(stderr, "training %s (%zu parameters, %zu trained) for %d steps from step %lld, "
                         "batch %d, %s -> %s\n",
                 ck.config.preset.c_str(), layout.total(), layout.trained_count(), tc.steps,
                 (long long)first, tc.batch, data.train.source.c_str(), out.c_str());
  Progress progress(first, tc.steps, quiet);
  int64_t step = first;
  for (int i = 0; i < tc.steps && !stop.received(); ++i) {
    TrainStepResult r;
    try {
      if (pool) {
        r = pool->train_step(uint32_t(step));
      } else {
        const auto idx = sample_indices(data.train.count(), tc.batch, ck.seed, uint32_t(step));
        r = backend->train_step(gather_batch(data.train, idx), tc.batch, ck.seed, uint32_t(step));
      }
    } catch (const DivergedError& e) {
      // The backend did not apply the step: what it holds is the last good model. The last
      // periodic save at `out` stays as it is.
      const std::string good = last_good_path(out);
      progress.finish("");
      const std::vector<float> params = backend->params();
      const bool finite =
          std::all_of(params.begin(), params.end(), [](float v) { return std::isfinite(v); });
      RRCNN_CHECK_DIVERGED(finite, e.what() << "; the parameters are no longer finite, so nothing "
                                               "was saved (" << out << " is left as it was)");
      save(good, true);
      std::ostringstream msg;
      msg << e.what() << ". The step was not applied; the last good parameters and Adam state "
          << "(step " << step << ") are saved in " << good << ". To continue with a lower "
          << "learning rate: rrcnn train --resume " << good << " --lr " << tc.lr_start / 10
          << " --out " << out;
      throw DivergedError(msg.str(), e.where());
    }
    step = r.step;
    progress.update(step, r.loss, r.lr);
    if (log.is_open()) {
      log << "{\"step\":" << step - 1 << ",\"loss\":" << r.loss << ",\"lr\":" << r.lr
          << ",\"grad_norm\":" << r.grad_norm;
      if (pool) log << ",\"horizon\":" << pool->last_horizon();
      log << ",\"seconds\":" << progress.elapsed() << "}\n";
      log.flush();
    }
    if ((step - first) % save_every == 0 && i + 1 < tc.steps) save(out, with_opt);
  }
  save(out, with_opt);
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
