// rrcnn.Trainer's engine: core's TrainingDriver, the loop `rrcnn train` runs, for one model with
// the reference or the pool recipe, seeded and numbered as the CLI does, so the same arguments
// give the same losses and the same weights bit for bit. The driver has no output file here
// (the notebook saves when it wants): a diverged step raises and leaves the last good weights
// loaded.
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "common.h"
#include "core/error.h"
#include "core/pool_trainer.h"
#include "core/training_driver.h"
#include "gpu/backend_factory.h"
#include "model_state.h"

namespace rrcnn::python {
namespace {

struct TrainOptions {
  std::string recipe;  // "reference" or "pool"
  int batch = 8;
  float lr = 1e-3f;
  py::object lr_end;  // default lr / 10, as the CLI
  int lr_decay_steps = 2000;
  float clip_norm = 1.0f;
  py::object seed;    // default: the model's
  std::string data, backend = "auto";
  std::string log;  // JSONL log of the steps (the CLI's format); empty: none
  int threads = 0;
  PoolConfig pool;
  std::string pool_state;
};

class TrainerState {
 public:
  TrainerState(std::shared_ptr<ModelState> model, const TrainOptions& o) : model_(std::move(model)) {
    Checkpoint& ck = model_->ck;
    use_pool_ = o.recipe == "pool";
    RRCNN_CHECK(use_pool_ || o.recipe == "reference" || o.recipe == "seed",
                "Trainer: recipe must be 'reference' or 'pool', got '" << o.recipe << "'");
    seed_ = o.seed.is_none() ? ck.seed : o.seed.cast<uint64_t>();
    tc_.batch = o.batch;
    tc_.lr_start = o.lr;
    tc_.lr_end = o.lr_end.is_none() ? o.lr / 10 : o.lr_end.cast<float>();
    tc_.lr_decay_steps = o.lr_decay_steps;
    tc_.clip_norm = o.clip_norm;
    tc_.seed = seed_;
    RRCNN_CHECK(o.batch >= 1 && o.batch <= 4096, "Trainer: batch " << o.batch << " must be in 1..4096");
    tc_.validate();
    if (use_pool_) {
      pool_config_ = o.pool;
      pool_config_.validate(tc_.batch);
    }
    threads_ = o.threads;
    py::gil_scoped_release nogil;
    ThreadsScope threads(threads_);
    data_ = data_split(o.data);
    RRCNN_CHECK(data_->train.height == ck.config.height && data_->train.width == ck.config.width,
                "Trainer: the data's " << data_->train.height << "x" << data_->train.width
                                       << " images do not fit the model's " << ck.config.height << "x"
                                       << ck.config.width << " grid");
    RRCNN_CHECK(data_->train.count() > 0, "Trainer: the data has no training digits (" << data_->train.source << ")");
    backend_ = make_backend(parse_backend_kind(o.backend), ck.config, &note_);
    std::lock_guard<std::mutex> lock(model_->mu);
    Recipe recipe;
    recipe.pool = use_pool_;
    recipe.pool_config = pool_config_;
    DriverOptions options;
    options.log_path = o.log.empty() ? "-" : o.log;
    options.writer = "rrcnn python Trainer";
    Checkpoint start = ck;
    start.seed = seed_;
    driver_ = std::make_unique<TrainingDriver>(*backend_, data_->train, start, /*fresh=*/false, tc_, recipe,
                                               options, o.pool_state);
    RRCNN_CHECK(o.pool_state.empty() || driver_->pool_resumed(),
                "Trainer: pool_state " << o.pool_state << " does not exist");
    synced_ = ck.params;
    step_ = driver_->optimizer_step();
  }

  // One optimiser step; the model's parameters and Adam state follow it.
  py::dict step() {
    StepReport rep;
    double seconds = 0;
    {
      py::gil_scoped_release nogil;
      std::lock_guard<std::mutex> busy(mu_);
      ThreadsScope threads(threads_);
      Checkpoint& ck = model_->ck;
      {
        // Weights written into Model.params since the last step are trained from here on.
        std::lock_guard<std::mutex> lock(model_->mu);
        if (std::memcmp(synced_.data(), ck.params.data(), synced_.size() * sizeof(float)) != 0) {
          backend_->set_params(ck.params);
          synced_ = ck.params;
        }
      }
      const auto t0 = std::chrono::steady_clock::now();
      const StepReport r = driver_->step();
      seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      rep = r;
      step_ = r.step;
      synced_ = backend_->params();
      std::lock_guard<std::mutex> lock(model_->mu);
      std::copy(synced_.begin(), synced_.end(), ck.params.begin());  // in place: views stay valid
      ck.adam = backend_->adam_state();
      ck.seed = seed_;
      ck.recipe = driver_->recipe().name();
      ck.note = "rrcnn python Trainer, " + driver_->recipe().describe(ck.config);
    }
    // The fields of `rrcnn train --log` (seconds: this step's time).
    py::dict d;
    d["step"] = step_ - 1;
    d["loss"] = rep.loss;
    d["lr"] = rep.lr;
    d["grad_norm"] = rep.grad_norm;
    if (use_pool_) d["horizon"] = rep.horizon;
    d["seconds"] = seconds;
    return d;
  }

  // Up to n steps. Stops early, between steps, on Ctrl-C (KeyboardInterrupt, raised during a
  // step or in the callback) or when the callback returns False. Returns (records, interrupted).
  py::tuple run(int n, const py::object& callback) {
    RRCNN_CHECK(n >= 0, "Trainer.run: steps must be >= 0, got " << n);
    py::list records;
    bool interrupted = false;
    for (int i = 0; i < n; ++i) {
      py::dict r = step();
      records.append(r);
      try {
        if (!callback.is_none()) {
          py::object ret = callback(r);
          if (ret.ptr() == Py_False) break;
        }
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      } catch (py::error_already_set& e) {
        if (!e.matches(PyExc_KeyboardInterrupt)) throw;
        interrupted = true;
        break;
      }
    }
    return py::make_tuple(records, interrupted);
  }

  void save(const std::string& path, bool optimizer) {
    py::gil_scoped_release nogil;
    std::lock_guard<std::mutex> busy(mu_);
    {
      std::lock_guard<std::mutex> lock(model_->mu);
      save_checkpoint(path, model_->ck, optimizer);
      model_->path = path;
    }
    driver_->save_pool(path + ".pool");
  }

  py::dict info() const {
    py::dict d;
    d["recipe"] = use_pool_ ? "pool" : "reference";
    d["backend"] = backend_->name();
    d["device"] = backend_->device_name();
    d["note"] = note_;
    d["seed"] = seed_;
    d["batch"] = tc_.batch;
    d["lr"] = tc_.lr_start;
    d["lr_end"] = tc_.lr_end;
    d["lr_decay_steps"] = tc_.lr_decay_steps;
    d["clip_norm"] = tc_.clip_norm;
    d["data"] = data_->train.source;
    if (use_pool_) d["pool"] = pool_config_.describe();
    return d;
  }

  int64_t step_count() const { return step_; }
  float learning_rate(int64_t step) const { return rrcnn::learning_rate(tc_, step); }
  py::array pool_states() const {
    RRCNN_CHECK(use_pool_, "Trainer: pool_states needs the pool recipe");
    const ModelConfig& c = model_->ck.config;
    std::vector<float> s = driver_->pool_states();
    const py::ssize_t n = py::ssize_t(s.size() / (size_t(c.cells()) * c.channels));
    return to_numpy(std::move(s), {n, c.height, c.width, c.channels});
  }

 private:
  std::shared_ptr<ModelState> model_;
  std::shared_ptr<const DataSplit> data_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<TrainingDriver> driver_;
  PoolConfig pool_config_;
  TrainConfig tc_;
  bool use_pool_ = false;
  uint64_t seed_ = 0;
  int64_t step_ = 0;
  int threads_ = 0;
  std::string note_;
  std::vector<float> synced_;  // the parameters the trainer's backend and the model share
  std::mutex mu_;
};

}  // namespace

void bind_train(py::module_& m) {
  py::class_<TrainerState>(m, "_Trainer")
      .def(py::init([](std::shared_ptr<ModelState> model, const std::string& recipe, int batch, float lr,
                       const py::object& lr_end, int lr_decay_steps, float clip_norm, const py::object& seed,
                       const std::string& data, const std::string& backend, int threads, int pool,
                       int pool_replace, std::pair<int, int> horizon, int damage, int damage_radius,
                       const std::string& damage_mode, const std::string& pool_state, const std::string& log) {
             TrainOptions o;
             o.recipe = recipe, o.batch = batch, o.lr = lr, o.lr_end = lr_end, o.lr_decay_steps = lr_decay_steps;
             o.clip_norm = clip_norm, o.seed = seed, o.data = data, o.backend = backend, o.threads = threads;
             o.pool.pool_size = pool, o.pool.replace = pool_replace;
             o.pool.horizon_min = horizon.first, o.pool.horizon_max = horizon.second;
             o.pool.damage = damage, o.pool.damage_radius = damage_radius;
             o.pool.damage_mode = parse_damage_mode(damage_mode);
             o.pool_state = pool_state;
             o.log = log;
             return std::make_unique<TrainerState>(std::move(model), o);
           }),
           py::arg("model"), py::arg("recipe"), py::arg("batch"), py::arg("lr"), py::arg("lr_end"),
           py::arg("lr_decay_steps"), py::arg("clip_norm"), py::arg("seed"), py::arg("data"), py::arg("backend"),
           py::arg("threads"), py::arg("pool"), py::arg("pool_replace"), py::arg("horizon"), py::arg("damage"),
           py::arg("damage_radius"), py::arg("damage_mode"), py::arg("pool_state"), py::arg("log"))
      .def("step", &TrainerState::step)
      .def("run", &TrainerState::run, py::arg("n"), py::arg("callback"))
      .def("save", &TrainerState::save, py::arg("path"), py::arg("optimizer"))
      .def("info", &TrainerState::info)
      .def_property_readonly("step_count", &TrainerState::step_count)
      .def("learning_rate", &TrainerState::learning_rate, py::arg("step"))
      .def("pool_states", &TrainerState::pool_states);
}

}  // namespace rrcnn::python
