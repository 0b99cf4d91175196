// The training worker (see trainer.h). The state machine lives under the mutex; the backend is
// touched only by the worker thread once a run has started.
#include "gui/training/trainer.h"

#include <chrono>
#include <cmath>
#include <exception>
#include <utility>

#include "core/error.h"
#include "core/optimizer.h"

namespace rrcnn {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// A backend's own check for a non-finite loss throws; its message says so.
bool divergence_message(const std::string& m) {
  return m.find("diverg") != std::string::npos || m.find("non-finite") != std::string::npos ||
         m.find(" nan") != std::string::npos || m.find(" inf") != std::string::npos;
}

bool all_finite(const std::vector<float>& v) {
  for (float x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

TrainConfig train_config_from(const TrainSettings& s) {
  TrainConfig tc;
  tc.batch = s.batch;
  tc.steps = s.target_steps;
  tc.lr_start = s.lr_start;
  tc.lr_end = s.lr_end;
  tc.lr_decay_steps = s.lr_decay_steps;
  tc.seed = s.seed;
  return tc;
}

}  // namespace

Trainer::Trainer(BackendFactory factory) : factory_(std::move(factory)) {}

Trainer::~Trainer() {
  stop();
  join();
}

void Trainer::start(const ModelConfig& config, const std::vector<float>& params,
                    const AdamState& adam, std::shared_ptr<const Dataset> train_data,
                    const TrainSettings& settings) {
  RRCNN_CHECK(train_data && train_data->count() > 0,
              "training needs digits: the training set is empty");
  RRCNN_CHECK(train_data->height == config.height && train_data->width == config.width,
              "training digits are " << train_data->height << "x" << train_data->width
                                     << " but the model grid is " << config.height << "x"
                                     << config.width);
  {
    std::lock_guard<std::mutex> lock(mu_);
    RRCNN_CHECK(!machine_.active(), "training is already " << machine_.describe());
  }
  join();  // a previous worker that has finished
  std::unique_ptr<Backend> backend = factory_(config);
  backend->set_train_config(train_config_from(settings));
  backend->set_params(params);
  backend->set_adam_state(adam);
  std::lock_guard<std::mutex> lock(mu_);
  machine_.start();
  settings_ = settings;
  settings_changed_ = false;
  step_ = adam.step;
  exited_ = false;
  thread_ = std::thread([this, b = std::move(backend), d = std::move(train_data)]() mutable {
    run(std::move(b), d);
  });
}

void Trainer::pause() {
  std::lock_guard<std::mutex> lock(mu_);
  machine_.pause();
}

void Trainer::resume() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    machine_.resume();
  }
  cv_.notify_all();
}

void Trainer::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    machine_.stop();
  }
  cv_.notify_all();
}

void Trainer::set_settings(const TrainSettings& settings) {
  std::lock_guard<std::mutex> lock(mu_);
  settings_ = settings;
  settings_changed_ = true;
}

TrainStatus Trainer::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  TrainStatus s;
  s.phase = machine_.phase();
  s.text = machine_.describe();
  s.busy = busy_;
  s.step = step_;
  s.params_version = latest_.version;
  s.divergence = divergence_;
  return s;
}

size_t Trainer::copy_points(size_t from, std::vector<TrainPoint>* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = from; i < points_.size(); ++i) out->push_back(points_[i]);
  return points_.size();
}

bool Trainer::take_params(uint64_t have_version, TrainSnapshotParams* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (latest_.version == have_version || latest_.params.empty()) return false;
  *out = latest_;
  return true;
}

void Trainer::forget_run(int64_t step) {
  std::lock_guard<std::mutex> lock(mu_);
  if (machine_.active()) return;
  machine_.reset();
  step_ = step;
  points_.clear();
  // Keep the version counting up so the UI never mistakes old weights for new ones.
  latest_.params.clear();
  latest_.adam = AdamState{};
}

void Trainer::poll() {
  bool done;
  {
    std::lock_guard<std::mutex> lock(mu_);
    done = exited_;
  }
  if (done && thread_.joinable()) thread_.join();
}

void Trainer::join() {
  if (thread_.joinable()) thread_.join();
}

void Trainer::publish_params(Backend& backend) {
  // Called with mu_ held; the copies are small (tens of thousands of floats).
  latest_.params = backend.params();
  latest_.adam = backend.adam_state();
  ++latest_.version;
}

void Trainer::diverged(Backend& backend, const std::vector<float>& good,
                       const AdamState& good_adam, int64_t step, const std::string& what,
                       float lr) {
  backend.set_params(good);
  backend.set_adam_state(good_adam);
  step_ = good_adam.step;
  ++divergence_.count;
  divergence_.step = step;
  divergence_.what = what;
  divergence_.lr = lr;
  publish_params(backend);
  machine_.on_diverged();
}

void Trainer::run(std::unique_ptr<Backend> backend, std::shared_ptr<const Dataset> data) {
  std::unique_lock<std::mutex> lock(mu_);
  double active_s = points_.empty() ? 0.0 : points_.back().time_s;
  auto last_publish = std::chrono::steady_clock::now();
  // The weights before the step in flight: what a diverging step is undone to.
  std::vector<float> good = backend->params();
  AdamState good_adam = backend->adam_state();
  try {
    for (;;) {
      cv_.wait(lock, [&] { return machine_.phase() != TrainPhase::kPaused; });
      if (machine_.worker_should_exit()) break;
      if (step_ >= settings_.target_steps) {
        machine_.on_target_reached();
        break;
      }
      if (settings_changed_) {
        backend->set_train_config(train_config_from(settings_));
        settings_changed_ = false;
      }
      const TrainSettings s = settings_;
      const int64_t step = step_;
      busy_ = true;
      lock.unlock();

      const auto t0 = std::chrono::steady_clock::now();
      const std::vector<int> idx = sample_indices(data->count(), s.batch, s.seed, uint32_t(step));
      const std::vector<float> clean = gather_batch(*data, idx);
      TrainStepResult r;
      std::string bad;
      try {
        r = backend->train_step(clean, s.batch, s.seed, uint32_t(step));
        if (!std::isfinite(r.loss))
          bad = "the loss is " + std::string(std::isnan(r.loss) ? "nan" : "inf");
        else if (!std::isfinite(r.grad_norm))
          bad = "the gradient norm is " + std::string(std::isnan(r.grad_norm) ? "nan" : "inf");
        else if (!all_finite(backend->params()))
          bad = "the weights became non-finite";
      } catch (const std::exception& e) {
        if (!divergence_message(e.what())) throw;
        bad = e.what();
      }
      active_s += seconds_since(t0);

      lock.lock();
      busy_ = false;
      if (!bad.empty()) {
        TrainConfig tc = train_config_from(s);
        diverged(*backend, good, good_adam, step + 1, bad, learning_rate(tc, step));
        continue;
      }
      good = backend->params();
      good_adam = backend->adam_state();
      step_ = r.step;
      points_.push_back({r.step, r.loss, r.lr, r.grad_norm, active_s});
      if (seconds_since(last_publish) >= s.publish_interval_s) {
        publish_params(*backend);
        last_publish = std::chrono::steady_clock::now();
      }
    }
  } catch (const std::exception& e) {
    if (!lock.owns_lock()) lock.lock();
    busy_ = false;
    machine_.on_error(e.what());
  }
  publish_params(*backend);
  machine_.on_worker_exit();
  exited_ = true;
}

}  // namespace rrcnn
