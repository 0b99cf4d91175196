// `rrcnn train`: headless training with progress, JSONL log, periodic and Ctrl-C-safe saving.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "cli/commands.h"
#include "cli/model_setup.h"
#include "cli/progress.h"
#include "cli/train_pool.h"
#include "core/error.h"
#include "core/init.h"

namespace rrcnn {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void on_sigint(int) {
  g_interrupted = 1;
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the process at once
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
    "  --quiet                no progress output\n";

}  // namespace

int cmd_train(const std::vector<std::string>& argv) {
  std::set<std::string> valued = {"preset", "steps",      "batch",   "lr",     "lr-end",
                                  "seed",   "data",       "out",     "resume", "log",
                                  "save-every", "backend", "threads"};
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
  auto save = [&] {
    ck.params = backend->params();
    ck.adam = backend->adam_state();
    ck.note = use_pool ? "rrcnn train, " + pool_config.describe() : "rrcnn train";
    save_checkpoint(out, ck, with_opt);
    if (pool) pool->save(pool_path);
  };

  const int64_t first = backend->adam_state().step;
  if (!args.has("quiet"))
    std::fprintf(stderr, "training %s (%zu parameters, %zu trained) for %d steps from step %lld, "
                         "batch %d, %s -> %s\n",
                 ck.config.preset.c_str(), layout.total(), layout.trained_count(), tc.steps,
                 (long long)first, tc.batch, data.train.source.c_str(), out.c_str());
  Progress progress(first, tc.steps, args.has("quiet"));
  g_interrupted = 0;
  std::signal(SIGINT, on_sigint);
  int64_t step = first;
  try {
    for (int i = 0; i < tc.steps && !g_interrupted; ++i) {
      TrainStepResult r;
      if (pool) {
        r = pool->train_step(uint32_t(step));
      } else {
        const auto idx = sample_indices(data.train.count(), tc.batch, ck.seed, uint32_t(step));
        r = backend->train_step(gather_batch(data.train, idx), tc.batch, ck.seed, uint32_t(step));
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
      if ((step - first) % save_every == 0 && i + 1 < tc.steps) save();
    }
  } catch (...) {
    std::signal(SIGINT, SIG_DFL);
    throw;  // the last periodic save stays on disk; a diverged model is not written over it
  }
  std::signal(SIGINT, SIG_DFL);
  save();
  std::ostringstream msg;
  msg << (g_interrupted ? "interrupted: saved " : "saved ") << out << " at step " << step
      << " (average loss of the last steps " << progress.average_loss() << ", "
      << progress.elapsed() << " s)";
  progress.finish(msg.str());
  return g_interrupted ? 130 : 0;
}

}  // namespace rrcnn
