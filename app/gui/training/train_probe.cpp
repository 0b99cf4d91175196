// One measured training step (see train_probe.h).
#include "gui/training/train_probe.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <exception>

namespace rrcnn {

TrainProbe::~TrainProbe() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
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
    timing_ = Timing{};
  }
  if (thread_.joinable()) thread_.join();
  thread_ = std::thread([this, config, params, data, batch] {
    Timing t;
    try {
      std::unique_ptr<Backend> b = factory_(config);
      TrainConfig tc;
      tc.batch = batch;
      b->set_train_config(tc);
      b->set_params(params);
      std::vector<double> times;
      double total = 0;
      // Step 0 warms up and is not counted; then at least kMinSteps, more within the budget.
      for (uint32_t i = 0; int(times.size()) < kMaxSteps; ++i) {
        const std::vector<int> idx = sample_indices(data->count(), batch, 12345, i);
        const std::vector<float> clean = gather_batch(*data, idx);
        const auto t0 = std::chrono::steady_clock::now();
        b->train_step(clean, batch, 12345, i);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        {
          std::lock_guard<std::mutex> lock(mu_);
          if (stop_) break;
        }
        if (i == 0) continue;
        times.push_back(s);
        total += s;
        if (int(times.size()) >= kMinSteps && total >= kTimeBudget) break;
      }
      if (times.empty()) throw std::runtime_error("stopped");
      std::sort(times.begin(), times.end());
      t.steps = int(times.size());
      t.lo = times.front();
      t.hi = times.back();
      t.median = times.size() % 2 ? times[times.size() / 2]
                                  : 0.5 * (times[times.size() / 2 - 1] + times[times.size() / 2]);
    } catch (const std::exception&) {
      t = Timing{};  // no estimate (a diverging step says nothing about the time)
    }
    std::lock_guard<std::mutex> lock(mu_);
    timing_ = t;
    busy_ = false;
  });
}

double TrainProbe::seconds_per_step(const ModelConfig& config, int batch) const {
  return timing(config, batch).median;
}

TrainProbe::Timing TrainProbe::timing(const ModelConfig& config, int batch) const {
  std::lock_guard<std::mutex> lock(mu_);
  return !busy_ && key_ == key(config, batch) ? timing_ : Timing{};
}

bool TrainProbe::busy() const {
  std::lock_guard<std::mutex> lock(mu_);
  return busy_;
}

}  // namespace rrcnn
