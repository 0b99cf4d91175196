// One measured training step (see train_probe.h).
#include "gui/training/train_probe.h"

#include <chrono>
#include <exception>

namespace rrcnn {

TrainProbe::~TrainProbe() {
  if (thread_.joinable()) thread_.join();
}

std::string TrainProbe::key(const ModelConfig& c, int batch) {
  return c.preset + "/" + std::to_string(c.channels) + "/" + std::to_string(c.perception) + "/" +
         c.hidden_string() + "/" + std::to_string(c.rollout_steps) + "/" + std::to_string(c.height) +
         "x" + std::to_string(c.width) + "/b" + std::to_string(batch);
}

void TrainProbe::request(const ModelConfig& config, const std::vector<float>& params,
                         std::shared_ptr<const Dataset> data, int batch) {
  const std::string k = key(config, batch);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (busy_ || k == key_ || !data || data->count() == 0) return;
    busy_ = true;
    key_ = k;
    seconds_ = 0;
  }
  if (thread_.joinable()) thread_.join();
  thread_ = std::thread([this, config, params, data, batch] {
    double s = 0;
    try {
      std::unique_ptr<Backend> b = factory_(config);
      TrainConfig tc;
      tc.batch = batch;
      b->set_train_config(tc);
      b->set_params(params);
      const std::vector<int> idx = sample_indices(data->count(), batch, 12345, 0);
      const std::vector<float> clean = gather_batch(*data, idx);
      const auto t0 = std::chrono::steady_clock::now();
      b->train_step(clean, batch, 12345, 0);
      s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    } catch (const std::exception&) {
      s = 0;  // no estimate (a diverging step says nothing about the time)
    }
    std::lock_guard<std::mutex> lock(mu_);
    seconds_ = s;
    busy_ = false;
  });
}

double TrainProbe::seconds_per_step(const ModelConfig& config, int batch) const {
  std::lock_guard<std::mutex> lock(mu_);
  return !busy_ && key_ == key(config, batch) ? seconds_ : 0.0;
}

bool TrainProbe::busy() const {
  std::lock_guard<std::mutex> lock(mu_);
  return busy_;
}

}  // namespace rrcnn
