// The training worker (see trainer.h). The state machine lives under the mutex; the backend and
// driver are touched by the worker only while a step is in flight (busy_), and otherwise only
// with the mutex held.
#include "gui/training/trainer.h"

#include <chrono>
#include <exception>
#include <utility>

#include "core/checkpoint.h"
#include "core/error.h"
#include "core/optimizer.h"

namespace rrcnn {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
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

bool same_model(const ModelConfig& a, const ModelConfig& b) {
  return a.height == b.height && a.width == b.width && a.channels == b.channels &&
         a.perception == b.perception && a.hidden == b.hidden &&
         a.rollout_steps == b.rollout_steps && a.dropout_rate == b.dropout_rate &&
         a.step_size == b.step_size && a.train_perception == b.train_perception;
}

bool same_recipe(const Recipe& a, const Recipe& b) {
  return a.pool == b.pool && (!a.pool || a.pool_config.describe() == b.pool_config.describe());
}

}  // namespace

Trainer::Trainer(BackendFactory factory) : factory_(std::move(factory)) {}

Trainer::~Trainer() {
  stop();
  join();
}

void Trainer::start(const ModelConfig& config, const std::vector<float>& params,
                    const AdamState& adam, std::shared_ptr<const Dataset> train_data,
                    const TrainSettings& settings, const RunFiles& files) {
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
  const TrainConfig tc = train_config_from(settings);
  std::lock_guard<std::mutex> lock(mu_);
  // Continue: the same model, recipe and data, from the weights the last run left: its driver
  // goes on (the pool where it was, the log appended to).
  const bool keep = driver_ && data_ == train_data && same_model(config_, config) &&
                    same_recipe(driver_->recipe(), settings.recipe) &&
                    backend_->adam_state().step == adam.step && backend_->params() == params;
  if (keep) {
    driver_->set_train_config(tc);
  } else {
    driver_.reset();
    backend_.reset();
    std::unique_ptr<Backend> backend = factory_(config);
    Checkpoint from;
    from.config = config;
    from.params = params;
    from.adam = adam;
    from.seed = settings.seed;
    DriverOptions opts;
    opts.log_path = files.log.empty() ? "-" : files.log;
    opts.save_every = 0;
    opts.writer = "rrcnn studio";
    // Throws (naming the field) for a pool that does not fit the batch, say: nothing started.
    auto driver = std::make_unique<TrainingDriver>(*backend, *train_data, from, false, tc,
                                                   settings.recipe, opts, files.resume_pool);
    backend_ = std::move(backend);
    driver_ = std::move(driver);
    data_ = std::move(train_data);
    config_ = config;
  }
  machine_.start();
  settings_ = settings;
  settings_changed_ = false;
  step_ = adam.step;
  exited_ = false;
  thread_ = std::thread([this] { run(); });
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
  // Checked here, so a bad value is refused where it was typed, not by the run failing later.
  train_config_from(settings).validate();
  if (driver_ && driver_->recipe().pool) driver_->recipe().pool_config.validate(settings.batch);
  settings_ = settings;
  settings_changed_ = true;
}

bool Trainer::save(const std::string& path, bool with_optimizer) {
  std::unique_lock<std::mutex> lock(mu_);
  // The worker does not start another step while a save waits (else it could take the lock
  // back before this thread sees it between steps).
  ++saves_waiting_;
  cv_.wait(lock, [&] { return !busy_; });  // the step in flight (the worker notifies)
  struct Done {
    Trainer* t;
    ~Done() {
      --t->saves_waiting_;
      t->cv_.notify_all();
    }
  } done{this};
  if (!driver_) return false;
  driver_->save(path, with_optimizer && !backend_->adam_state().empty());
  if (driver_->recipe().pool) driver_->save_pool(path + ".pool");
  return true;
}

std::string Trainer::log_path() const {
  std::lock_guard<std::mutex> lock(mu_);
  return driver_ ? driver_->log_path() : std::string();
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
  s.recipe = driver_ ? driver_->recipe().name() : std::string();
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
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (machine_.active()) return;
  }
  join();  // the worker has left its loop (not active): the driver is ours to drop
  std::lock_guard<std::mutex> lock(mu_);
  machine_.reset();
  step_ = step;
  points_.clear();
  driver_.reset();
  backend_.reset();
  data_.reset();
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

void Trainer::publish_params() {
  // Called with mu_ held; the copies are small (tens of thousands of floats).
  latest_.params = backend_->params();
  latest_.adam = backend_->adam_state();
  ++latest_.version;
}

void Trainer::run() {
  std::unique_lock<std::mutex> lock(mu_);
  double active_s = points_.empty() ? 0.0 : points_.back().time_s;
  auto last_publish = std::chrono::steady_clock::now();
  try {
    for (;;) {
      cv_.wait(lock, [&] { return machine_.phase() != TrainPhase::kPaused && saves_waiting_ == 0; });
      if (machine_.worker_should_exit()) break;
      if (step_ >= settings_.target_steps) {
        machine_.on_target_reached();
        break;
      }
      if (settings_changed_) {
        settings_changed_ = false;
        driver_->set_train_config(train_config_from(settings_));
      }
      const TrainSettings s = settings_;
      const int64_t step = step_;
      busy_ = true;
      lock.unlock();

      const auto t0 = std::chrono::steady_clock::now();
      StepReport r;
      std::string diverged;
      try {
        r = driver_->step();
      } catch (const DivergedError& e) {
        diverged = e.what();  // not applied: the backend holds the last good weights
      } catch (...) {
        lock.lock();
        busy_ = false;
        cv_.notify_all();
        throw;
      }
      active_s += seconds_since(t0);

      lock.lock();
      busy_ = false;
      cv_.notify_all();  // a save waiting for the step in flight
      if (!diverged.empty()) {
        step_ = backend_->adam_state().step;
        ++divergence_.count;
        divergence_.step = step + 1;
        divergence_.what = diverged;
        divergence_.lr = learning_rate(train_config_from(s), step);
        publish_params();
        machine_.on_diverged();
        continue;
      }
      step_ = r.step;
      points_.push_back({r.step, r.loss, r.lr, r.grad_norm, active_s});
      if (seconds_since(last_publish) >= s.publish_interval_s) {
        publish_params();
        last_publish = std::chrono::steady_clock::now();
      }
    }
  } catch (const std::exception& e) {
    if (!lock.owns_lock()) lock.lock();
    busy_ = false;
    machine_.on_error(e.what());
  }
  publish_params();
  machine_.on_worker_exit();
  exited_ = true;
  cv_.notify_all();
}

}  // namespace rrcnn
