// How long one training step takes on this machine, measured before the user starts a run: a
// warm-up step (first-touch allocations, caches), then several timed steps of the current model
// and batch on a backend of its own, on a worker thread, their results discarded. One timed step
// varied 3x between launches; the median of several and their range are honest. The training
// panel turns it into an expected duration (train_advice.h). No GL; tested in tests/gui.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/backend.h"
#include "core/dataset.h"

namespace rrcnn {

class TrainProbe {
 public:
  using BackendFactory = std::function<std::unique_ptr<Backend>(const ModelConfig&)>;
  explicit TrainProbe(BackendFactory factory) : factory_(std::move(factory)) {}
  ~TrainProbe();  // waits for a measurement in flight
  TrainProbe(const TrainProbe&) = delete;
  TrainProbe& operator=(const TrainProbe&) = delete;

  // Measures one step of `config` at `batch` unless that is measured already or being measured.
  void request(const ModelConfig& config, const std::vector<float>& params,
               std::shared_ptr<const Dataset> data, int batch);
  // Seconds per step for this model and batch (the median); 0 when not (yet) known.
  double seconds_per_step(const ModelConfig& config, int batch) const;
  struct Timing {
    double median = 0, lo = 0, hi = 0;  // seconds per step; all 0 when not known
    int steps = 0;                       // timed steps (after the warm-up)
  };
  Timing timing(const ModelConfig& config, int batch) const;
  // At least this many steps are timed, more while they take under kTimeBudget seconds together.
  static constexpr int kMinSteps = 3, kMaxSteps = 8;
  static constexpr double kTimeBudget = 4.0;
  bool busy() const;

 private:
  static std::string key(const ModelConfig& c, int batch);
  BackendFactory factory_;
  mutable std::mutex mu_;
  std::string key_;  // what was (or is being) measured
  Timing timing_;
  bool busy_ = false;
  bool stop_ = false;  // the destructor does not wait for every timed step
  std::thread thread_;
};

}  // namespace rrcnn
