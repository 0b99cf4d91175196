// The training loop shared by the CLI and the studio (see training_driver.h).
#include "core/training_driver.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

#include "core/config_json.h"
#include "core/error.h"
#include "core/init.h"
#include "core/json_io.h"

namespace rrcnn {
namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string stem_of(const std::string& path) {
  const std::string ext = ".safetensors";
  const bool has_ext = path.size() > ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0;
  return has_ext ? path.substr(0, path.size() - ext.size()) : path;
}

}  // namespace

std::string Recipe::describe(const ModelConfig& config) const {
  if (pool) return pool_config.describe();
  return "reference: " + std::to_string(config.rollout_steps) + " steps from fresh noisy digits";
}

std::string default_log_path(const std::string& checkpoint) { return stem_of(checkpoint) + ".jsonl"; }
std::string last_good_path(const std::string& checkpoint) {
  return stem_of(checkpoint) + ".last-good.safetensors";
}

TrainingDriver::TrainingDriver(Backend& backend, const Dataset& train, const Checkpoint& start,
                               bool fresh, const TrainConfig& train_config, const Recipe& recipe,
                               const DriverOptions& options, const std::string& resume_pool)
    : backend_(backend), train_(train), ck_(start), tc_(train_config), recipe_(recipe),
      options_(options) {
  tc_.validate();
  if (recipe_.pool) recipe_.pool_config.validate(tc_.batch);
  RRCNN_CHECK(train.height == ck_.config.height && train.width == ck_.config.width,
              "training: the data's " << train.height << "x" << train.width
                                      << " images do not fit the model's " << ck_.config.height
                                      << "x" << ck_.config.width << " grid");
  RRCNN_CHECK(backend.config().channels == ck_.config.channels &&
                  backend.layout().total() == ParamLayout(ck_.config).total(),
              "training: the backend was made for another model config");
  backend_.set_train_config(tc_);
  backend_.set_params(fresh ? init_params(backend_.layout(), ck_.seed) : ck_.params);
  backend_.set_adam_state(fresh ? AdamState{} : ck_.adam);
  if (recipe_.pool) {
    pool_ = std::make_unique<PoolTrainer>(backend_, train_, recipe_.pool_config, ck_.seed);
    pool_resumed_ = !resume_pool.empty() && pool_->load(resume_pool);
  }
  first_ = step_ = backend_.adam_state().step;
  ck_.recipe = recipe_.name();
  log_path_ = !options_.log_path.empty() ? options_.log_path
              : options_.out.empty()      ? std::string()
                                          : default_log_path(options_.out);
  if (log_path_ == "-") log_path_.clear();
  if (!log_path_.empty()) {
    log_.open(log_path_, std::ios::app);
    RRCNN_CHECK(log_.good(), log_path_ << ": cannot open the training log for writing");
    // One line naming the run, so a log can be labelled without its checkpoint. It has no
    // "step": readers of step lines skip it.
    log_ << "{\"run\": {\"checkpoint\": " << json_quote(options_.out)
         << ", \"config\": " << model_config_to_json(ck_.config)
         << ", \"recipe\": " << json_quote(recipe_.name())
         << ", \"recipe_description\": " << json_quote(recipe_.describe(ck_.config))
         << ", \"first_step\": " << first_ << ", \"batch\": " << tc_.batch
         << ", \"lr\": " << tc_.lr_start << ", \"lr_end\": " << tc_.lr_end
         << ", \"seed\": " << ck_.seed << "}}\n";
    log_.flush();
  }
  start_ = now_seconds();
}

TrainingDriver::~TrainingDriver() = default;

double TrainingDriver::elapsed() const { return now_seconds() - start_; }

StepReport TrainingDriver::step() {
  TrainStepResult r;
  int horizon = ck_.config.rollout_steps;
  try {
    if (pool_) {
      r = pool_->train_step(uint32_t(step_));
      horizon = pool_->last_horizon();
    } else {
      const auto idx = sample_indices(train_.count(), tc_.batch, ck_.seed, uint32_t(step_));
      r = backend_.train_step(gather_batch(train_, idx), tc_.batch, ck_.seed, uint32_t(step_));
    }
  } catch (const DivergedError& e) {
    // The backend did not apply the step: what it holds is the last good model. The last
    // periodic save at `out` stays as it is.
    if (options_.out.empty()) {
      std::ostringstream msg;
      msg << e.what() << ". The step was not applied; the last good parameters and Adam state "
          << "(step " << step_ << ") are still loaded";
      throw DivergedError(msg.str(), e.where());
    }
    const std::vector<float> params = backend_.params();
    const bool finite = std::all_of(params.begin(), params.end(), [](float v) { return std::isfinite(v); });
    RRCNN_CHECK_DIVERGED(finite, e.what() << "; the parameters are no longer finite, so nothing "
                                             "was saved (" << options_.out << " is left as it was)");
    const std::string good = last_good_path(options_.out);
    save(good, true);
    std::ostringstream msg;
    msg << e.what() << ". The step was not applied; the last good parameters and Adam state "
        << "(step " << step_ << ") are saved in " << good << ". To continue with a lower "
        << "learning rate: rrcnn train --resume " << good << " --lr " << tc_.lr_start / 10
        << " --out " << options_.out;
    throw DivergedError(msg.str(), e.where());
  }
  step_ = r.step;
  StepReport rep;
  rep.step = r.step;
  rep.loss = r.loss;
  rep.lr = r.lr;
  rep.grad_norm = r.grad_norm;
  rep.horizon = horizon;
  rep.seconds = elapsed();
  write_log(rep);
  if (on_step) on_step(rep);
  return rep;
}

void TrainingDriver::write_log(const StepReport& r) {
  if (!log_.is_open()) return;
  log_ << "{\"step\":" << r.step - 1 << ",\"loss\":" << r.loss << ",\"lr\":" << r.lr
       << ",\"grad_norm\":" << r.grad_norm;
  if (pool_) log_ << ",\"horizon\":" << r.horizon;
  log_ << ",\"seconds\":" << r.seconds << "}\n";
  log_.flush();
}

int TrainingDriver::run(int steps, const std::function<bool()>& stop) {
  int done = 0;
  for (; done < steps && !(stop && stop()); ++done) {
    step();
    if (!options_.out.empty() && options_.save_every > 0 && (step_ - first_) % options_.save_every == 0 &&
        done + 1 < steps)
      save();
  }
  if (!options_.out.empty()) save();
  return done;
}

void TrainingDriver::set_train_config(const TrainConfig& train_config) {
  train_config.validate();
  if (recipe_.pool) recipe_.pool_config.validate(train_config.batch);
  tc_ = train_config;
  backend_.set_train_config(tc_);
}

void TrainingDriver::save_pool(const std::string& path) const {
  if (pool_) pool_->save(path);
}

std::vector<float> TrainingDriver::pool_states() const { return pool_ ? pool_->states() : std::vector<float>{}; }

void TrainingDriver::save(const std::string& path, bool with_optimizer) {
  RRCNN_CHECK(!path.empty(), "training: no checkpoint path to save to");
  Checkpoint ck = ck_;
  ck.params = backend_.params();
  ck.adam = backend_.adam_state();
  ck.note = options_.writer + ", " + recipe_.describe(ck_.config) + options_.note_suffix;
  ck.recipe = recipe_.name();  // the studio runs a pool model indefinitely
  save_checkpoint(path, ck, with_optimizer);
  if (pool_ && path == options_.out) pool_->save(path + ".pool");
}

}  // namespace rrcnn
