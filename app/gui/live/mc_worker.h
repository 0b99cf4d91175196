// Dropout uncertainty in the background: K rollouts of the live view's noisy digits under
// different dropout masks (core/mc_dropout.h, one K x B batch) on a backend of its own with the
// live weights, on a thread of its own at a lower priority, so the window never waits. The UI
// starts a run, reads its progress, cancels it, and takes the result: per-pixel mean and
// standard deviation of the final images, the mean +- std band of the batch-mean MSE at every
// step, and the MSE of the K-mean image next to a single rollout's. No GL; tested in tests/gui.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/backend.h"

namespace rrcnn {

struct McRequest {
  ModelConfig config;
  std::shared_ptr<const std::vector<float>> params;
  float dropout = 0.5f;
  int batch = 0, k = 8, steps = 0;
  std::vector<float> clean;  // (B, H*W) targets
  bool has_target = true;
  std::vector<float> noisy;  // (B, H*W): the rollout's input; hidden channels start at zero
  uint64_t seed = 0;         // the live rollout's noise draw: copy 0 repeats its masks
  uint32_t episode = 0;
  uint64_t rollout_id = 0;   // which live rollout it belongs to (the UI's inputs version)
};

struct McResult {
  uint64_t rollout_id = 0;
  int k = 0, batch = 0, steps = 0, pixels = 0;
  bool has_target = true;
  std::vector<float> mean, std_dev;          // (B, H*W) of the final clipped images
  std::vector<double> band_mean, band_sd;    // [step 0..steps] batch-mean MSE over the K rollouts
  std::vector<double> single_mse, mean_mse;  // (B) rollout 0 / the K-mean image
  double single_mean = 0, kmean_mean = 0;    // their batch means
  double std_error_corr = 0;                 // corr(per-pixel std, |mean - clean|)
  double seconds = 0;
};

struct McProgress {
  bool busy = false;
  int done = 0, total = 0, k = 0;  // steps done of total, of the run in flight
  std::string error;               // the last run's failure, if any
  uint64_t results = 0;            // results finished so far (take() when it grows)
};

class McWorker {
 public:
  using BackendFactory = std::function<std::unique_ptr<Backend>(const ModelConfig&)>;
  explicit McWorker(BackendFactory factory);
  ~McWorker();
  McWorker(const McWorker&) = delete;
  McWorker& operator=(const McWorker&) = delete;

  // Starts a run (a run in flight is cancelled first). Throws on a bad request.
  void start(McRequest request);
  void cancel();
  McProgress progress() const;
  // The newest finished result, once.
  bool take(McResult* out);
  // Blocks until no run is in flight (scripts and tests).
  void wait_idle() const;

 private:
  void run();
  McResult compute(const McRequest& r);

  BackendFactory factory_;
  std::unique_ptr<Backend> backend_;  // worker only; kept while the config stays the same
  mutable std::mutex mu_;
  mutable std::condition_variable cv_, idle_cv_;
  std::unique_ptr<McRequest> pending_;
  std::atomic<bool> cancel_{false};
  bool quit_ = false, busy_ = false;
  McProgress progress_;
  bool has_result_ = false;
  McResult result_;
  std::thread thread_;
};

}  // namespace rrcnn
