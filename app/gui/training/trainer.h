// Training from the GUI on a worker thread with its own backend, so the window never waits for
// a training step (seconds each on a CPU). The UI starts, pauses, resumes and stops it; Stop
// answers at once (state `stopping`) and the worker leaves after the step in flight. The worker
// publishes the loss of every step and, at most a few times a second, the weights, which the
// UI hands to the live view. A step whose loss or gradient is not finite is undone and the run
// pauses (the live view keeps the last good weights). No GL; tested in tests/gui.
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
};

// The last divergence: a step whose loss or gradient was not finite. It was not applied; the
// run paused with the weights and Adam state from before it.
struct Divergence {
  uint64_t count = 0;        // divergences so far (the UI notices a new one)
  int64_t step = 0;          // the optimiser step that diverged (1-based)
  std::string what;          // "loss is nan", "gradient norm is inf", or the backend's message
  float lr = 0;              // the learning rate that step would have used
};

struct TrainStatus {
  TrainPhase phase = TrainPhase::kIdle;
  std::string text;   // "running", "finished (completed)", ...
  bool busy = false;  // a step is in flight
  int64_t step = 0;   // optimiser updates so far
  uint64_t params_version = 0;
  Divergence divergence;
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

  // Starts (or continues after `finished`) from these weights and optimiser state. Throws when
  // a run is active or the backend cannot be created.
  void start(const ModelConfig& config, const std::vector<float>& params, const AdamState& adam,
             std::shared_ptr<const Dataset> train_data, const TrainSettings& settings);
  void pause();
  void resume();
  void stop();
  // Learning rate, batch and target take effect at the next step.
  void set_settings(const TrainSettings& settings);

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
  void run(std::unique_ptr<Backend> backend, std::shared_ptr<const Dataset> data);
  void publish_params(Backend& backend);
  // Undoes a step that went non-finite (called with mu_ held): the last good weights and Adam
  // state go back into the backend and out to the UI, and the run pauses.
  void diverged(Backend& backend, const std::vector<float>& good, const AdamState& good_adam,
                int64_t step, const std::string& what, float lr);

  BackendFactory factory_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  TrainStateMachine machine_;
  TrainSettings settings_;
  bool settings_changed_ = false;
  bool busy_ = false;
  bool exited_ = true;
  int64_t step_ = 0;
  std::vector<TrainPoint> points_;
  TrainSnapshotParams latest_;
  Divergence divergence_;
  std::thread thread_;
};

}  // namespace rrcnn
