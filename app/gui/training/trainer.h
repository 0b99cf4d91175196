// Training from the GUI on a worker thread with its own backend, so the window never waits for
// a training step (seconds each on a CPU). The steps are core's TrainingDriver, the loop
// `rrcnn train` and the Python Trainer run: the recipe (reference, or a sample pool with its
// horizon range, replacement and damage), schedule, clipping, Adam, divergence, the JSONL log
// and saving (checkpoint with recipe metadata, pool sidecar). The UI starts, pauses, resumes
// and stops it; Stop answers at once (state `stopping`) and the worker leaves after the step in
// flight. The worker publishes the loss of every step and, at most a few times a second, the
// weights, which the UI hands to the live view. A diverged step (DivergedError) was never
// applied: the backend still holds the last good weights, which go to the UI, and the run
// pauses. No rollback copy is kept. No GL; tested in tests/gui.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/backend.h"
#include "core/dataset.h"
#include "core/training_driver.h"
#include "gui/training/loss_history.h"
#include "gui/training/train_state.h"

namespace rrcnn {

struct TrainSettings {
  int batch = 8;
  int target_steps = 8192;  // the run finishes (completed) at this optimiser step
  float lr_start = 1e-3f;
  float lr_end = 1e-4f;
  int lr_decay_steps = 2000;
  uint64_t seed = 0;                 // data order and noise
  double publish_interval_s = 0.25;  // how often weights go to the live view
  Recipe recipe;  // reference or pool (with its knobs); takes effect at the next start
};

// Files of a run: the JSONL log the driver appends to ("" : none) and, for the pool recipe, the
// sidecar of the checkpoint the weights came from (its pool continues; "" or missing: a fresh
// pool).
struct RunFiles {
  std::string log;
  std::string resume_pool;
};

// The last divergence: a step whose loss or gradient was not finite. It was not applied; the
// run paused with the weights and Adam state from before it.
struct Divergence {
  uint64_t count = 0;        // divergences so far (the UI notices a new one)
  int64_t step = 0;          // the optimiser step that diverged (1-based)
  std::string what;          // the DivergedError's message ("training diverged: loss is nan ...")
  float lr = 0;              // the learning rate that step would have used
};

struct TrainStatus {
  TrainPhase phase = TrainPhase::kIdle;
  std::string text;   // "running", "finished (completed)", ...
  bool busy = false;  // a step is in flight
  int64_t step = 0;   // optimiser updates so far
  uint64_t params_version = 0;
  Divergence divergence;
  std::string recipe;  // the recipe of the run these weights come from ("" : no run yet)
};

struct TrainSnapshotParams {
  std::vector<float> params;
  AdamState adam;
  uint64_t version = 0;
};

class Trainer {
 public:
  using BackendFactory = std::function<std::unique_ptr<Backend>(const ModelConfig&)>;
  explicit Trainer(BackendFactory factory);
  ~Trainer();  // stops and joins (waits for the step in flight)
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // Starts (or continues after `finished`) from these weights and optimiser state. A continued
  // run of the same model and recipe keeps its driver (the pool goes on where it was). Throws
  // when a run is active, a setting is invalid (naming it) or the backend cannot be created.
  void start(const ModelConfig& config, const std::vector<float>& params, const AdamState& adam,
             std::shared_ptr<const Dataset> train_data, const TrainSettings& settings,
             const RunFiles& files = {});
  void pause();
  void resume();
  void stop();
  // Learning rate, batch and target take effect at the next step (the recipe at the next start).
  // Throws naming the field (nothing changes) when they do not fit, e.g. a batch smaller than
  // the running pool's replacement.
  void set_settings(const TrainSettings& settings);
  // Saves the run's weights through the driver: the checkpoint with the run's recipe in its
  // metadata, and the pool sidecar PATH.pool for the pool recipe. During a run it waits for the
  // step in flight, so the file holds the weights of a logged step. False (nothing written)
  // when there is no run whose weights these are (the caller saves its own copy).
  bool save(const std::string& path, bool with_optimizer);
  // The run's log ("" : none).
  std::string log_path() const;

  TrainStatus status() const;
  // Appends the points recorded since `from` (an index into the run's history) to *out.
  size_t copy_points(size_t from, std::vector<TrainPoint>* out) const;
  // Latest published weights when newer than `have_version`.
  bool take_params(uint64_t have_version, TrainSnapshotParams* out) const;
  // Other weights were loaded (optimiser at `step`): forgets the loss history and returns to
  // idle; ignored while a run is active.
  void forget_run(int64_t step);
  // Joins a worker that has left its loop (call once per frame; never blocks for long).
  void poll();
  // Waits until the worker has left (tests, shutdown).
  void join();

 private:
  void run();
  void publish_params();  // with mu_ held

  BackendFactory factory_;
  // The run's backend and driver: used by the worker while a step is in flight (busy_), and
  // under mu_ otherwise. Kept after the run for Continue and save; dropped by forget_run.
  // Declared in the order they depend on each other (destroyed the other way round).
  std::shared_ptr<const Dataset> data_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<TrainingDriver> driver_;
  ModelConfig config_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  TrainStateMachine machine_;
  TrainSettings settings_;
  bool settings_changed_ = false;
  bool busy_ = false;
  int saves_waiting_ = 0;  // save() calls waiting for the step in flight
  bool exited_ = true;
  int64_t step_ = 0;
  std::vector<TrainPoint> points_;
  TrainSnapshotParams latest_;
  Divergence divergence_;
  std::thread thread_;
};

}  // namespace rrcnn
