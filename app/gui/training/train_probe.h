// How long one training step takes on this machine, measured before the user starts a run: one
// step of the current model and batch on a backend of its own, on a worker thread (seconds on a
// CPU at the seed size), its result discarded. The training panel turns it into an expected
// duration (train_advice.h). No GL; tested in tests/gui.
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
  // Seconds per step for this model and batch; 0 when not (yet) known.
  double seconds_per_step(const ModelConfig& config, int batch) const;
  bool busy() const;

 private:
  static std::string key(const ModelConfig& c, int batch);
  BackendFactory factory_;
  mutable std::mutex mu_;
  std::string key_;  // what was (or is being) measured
  double seconds_ = 0;
  bool busy_ = false;
  std::thread thread_;
};

}  // namespace rrcnn
