// The one training loop of RRCNN Studio, used by `rrcnn train` (and meant for the studio's
// trainer): the recipe (the reference: fresh noisy digits, config.rollout_steps steps; or a
// sample pool with a horizon range, replacement and damage, run by core/pool_trainer), the
// schedule, clipping and Adam (in the backend's train_step / apply_gradients), divergence
// handling, saving, and progress/logging callbacks. Not here: signals, terminals and flags
// (the CLI's) or threads and UI state (the studio's).
// Divergence: one error type, DivergedError. The backend refuses a step whose loss or gradient
// is not finite before applying anything, so after the throw it still holds the last good
// weights and Adam state; the driver then saves them as OUT.last-good.safetensors (when they
// are finite) and rethrows with where they went. No rollback copy of the parameters is needed.
// Saving writes the checkpoint (the whole model config, recipe and its description in the
// metadata), the pool sidecar OUT.pool for the pool recipe, and keeps the run's JSONL log next
// to the checkpoint (OUT.jsonl) unless told otherwise.
#pragma once

#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/backend.h"
#include "core/checkpoint.h"
#include "core/dataset.h"
#include "core/pool_trainer.h"

namespace rrcnn {

// How a model is trained. "seed" (the reference recipe) or "pool" (persistence and repair).
struct Recipe {
  bool pool = false;
  PoolConfig pool_config;     // used when pool
  std::string name() const { return pool ? "pool" : "seed"; }
  // "reference (64 steps from noise)" or the pool's describe() line.
  std::string describe(const ModelConfig& config) const;
};

struct DriverOptions {
  // Checkpoint path. Empty (a Python session that saves when it wants): no periodic saves, no
  // default log, and a diverged step saves nothing: the backend keeps the last good weights.
  std::string out;
  std::string log_path;          // JSONL log; empty: default_log_path(out) (none without out); "-": none
  int save_every = 500;          // also save every N steps (0: only at the end)
  bool with_optimizer = true;    // save Adam moments
  std::string writer = "rrcnn train";  // the checkpoint's note begins with this
  std::string note_suffix;       // appended to the note (e.g. "; init FILE" of a fine-tuning run)
};

// One optimiser step as the callbacks and the log see it.
struct StepReport {
  int64_t step = 0;      // optimiser steps applied after this one
  float loss = 0, lr = 0, grad_norm = 0;
  int horizon = 0;       // steps before the loss
  double seconds = 0;    // since the driver started
};

// model.safetensors -> model.jsonl / model.last-good.safetensors (other names: suffix appended).
std::string default_log_path(const std::string& checkpoint);
std::string last_good_path(const std::string& checkpoint);

class TrainingDriver {
 public:
  // `start` holds the config, seed, and for a resumed run the weights, Adam state and recipe it
  // was trained with; `fresh` initialises the weights from the seed instead. The backend must
  // have been made for start.config and is configured here (train config, params, Adam state).
  // A resumed pool run reads OUT-of-resume.pool when `resume_pool` names one.
  TrainingDriver(Backend& backend, const Dataset& train, const Checkpoint& start, bool fresh,
                 const TrainConfig& train_config, const Recipe& recipe, const DriverOptions& options,
                 const std::string& resume_pool = "");
  ~TrainingDriver();
  TrainingDriver(const TrainingDriver&) = delete;
  TrainingDriver& operator=(const TrainingDriver&) = delete;

  // Called after every step, in order (the log line is written before).
  std::function<void(const StepReport&)> on_step;

  // One optimiser step. On divergence: saves the last good state (see above) and throws
  // DivergedError; the backend still holds the last good weights.
  StepReport step();
  // Up to `steps` steps (saving every save_every, and at the end), stopping early when
  // `stop` returns true; returns the steps done.
  int run(int steps, const std::function<bool()>& stop = {});
  // Checkpoint (+ pool sidecar at OUT.pool when path is the output) with recipe metadata.
  void save(const std::string& path, bool with_optimizer);
  void save() { save(options_.out, options_.with_optimizer); }
  // New learning rates, batch or length for the next step (the studio's sliders apply during a
  // run). Validated like the constructor's: throws naming the field, and changes nothing then.
  void set_train_config(const TrainConfig& train_config);
  const TrainConfig& train_config() const { return tc_; }
  // The pool recipe's sidecar alone (save() writes it next to OUT itself).
  void save_pool(const std::string& path) const;
  std::vector<float> pool_states() const;  // (N, H, W, C); empty for the reference recipe

  int64_t optimizer_step() const { return step_; }
  int64_t first_step() const { return first_; }
  const Recipe& recipe() const { return recipe_; }
  bool pool_resumed() const { return pool_resumed_; }
  const std::string& log_path() const { return log_path_; }
  double elapsed() const;

 private:
  void write_log(const StepReport& r);

  Backend& backend_;
  const Dataset& train_;
  Checkpoint ck_;  // config, seed, recipe; params/Adam filled at save time
  TrainConfig tc_;
  Recipe recipe_;
  DriverOptions options_;
  std::unique_ptr<PoolTrainer> pool_;
  bool pool_resumed_ = false;
  int64_t first_ = 0, step_ = 0;
  std::string log_path_;
  std::ofstream log_;
  double start_ = 0;
};

}  // namespace rrcnn
