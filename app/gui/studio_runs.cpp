// Models and runs of your own: the New model dialog's commands (its step time measured on a
// worker of its own, fresh weights of the chosen architecture), the logs of training runs
// (run_logs.h: each run's log in the state folder, the weights' whole log beside a saved
// checkpoint, the recent runs' list) and the runs overlaid on the loss plot.
#include <algorithm>
#include <ctime>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/config_json.h"
#include "core/error.h"
#include "core/init.h"
#include "gpu/backend_factory.h"
#include "gui/studio.h"

namespace fs = std::filesystem;

namespace rrcnn {

std::string Studio::state_dir() const {
  if (!st_.log_path.empty()) return fs::path(st_.log_path).parent_path().string();
  return config_dir_;
}

RunFiles Studio::run_files() {
  RunFiles f;
  if (session_log_.empty()) {
    const std::string dir = state_dir() + "/runs";
    std::string why;
    if (state_dir().empty() || !ensure_dir(dir, &why)) {
      append_log(st_.log_path, "training log not kept: cannot create " + dir + " (" + why + ")");
      return f;
    }
    session_log_ = new_run_log_path(dir, st_.model.config.preset, std::time(nullptr));
  }
  f.log = session_log_;
  // A pool model from a file continues with the pool saved beside it, when its weights are the
  // file's (not trained on since).
  const std::string pool = st_.ckpt_path + ".pool";
  std::error_code ec;
  if (st_.train.recipe.pool && !st_.ckpt_path.empty() && st_.model.recipe == "pool" &&
      !st_.model.fresh && adam_.step == st_.model.saved_step && fs::exists(pool, ec))
    f.resume_pool = pool;
  return f;
}

void Studio::remember_run(const std::string& log) {
  if (!log.empty()) {  // "" : just read the list again
    recent_runs_.add(log);
    if (!state_dir().empty()) recent_runs_.save(recent_runs_file(state_dir()));
  }
  st_.recent_runs.clear();
  for (const std::string& p : recent_runs_.items()) {
    std::error_code ec;
    if (!fs::exists(p, ec)) continue;
    try {
      st_.recent_runs.push_back({p, read_run_log(p).label});
    } catch (const std::exception& e) {
      append_log(st_.log_path, std::string("recent run left out: ") + e.what());
    }
  }
}

void Studio::begin_weights_log(const std::string& ckpt) {
  session_log_.clear();
  base_log_ = ckpt.empty() ? std::string() : log_text_before(loss_log_beside(ckpt), adam_.step);
}

void Studio::keep_log_beside(const std::string& ckpt) {
  const std::string log = default_log_path(ckpt);
  if (session_log_.empty() && base_log_.empty()) return;  // never trained here or before
  try {
    write_log_beside(log, base_log_, session_log_);
    remember_run(log);
  } catch (const std::exception& e) {
    error(std::string("the checkpoint is saved, but not its training log: ") + e.what());
  }
}

void Studio::poll_new_model() {
  if (!new_model_probe_ || st_.new_model.config.empty()) return;
  try {
    const ModelConfig c = model_config_from_json(st_.new_model.config, "new model");
    const TrainProbe::Timing t = new_model_probe_->timing(c, st_.new_model.batch);
    st_.new_model.median = t.median;
    st_.new_model.lo = t.lo;
    st_.new_model.hi = t.hi;
    st_.new_model.busy = new_model_probe_->busy();
  } catch (const std::exception&) {
    st_.new_model = NewModelTiming{};
  }
}

bool Studio::apply_runs(const Command& c) {
  switch (c.kind) {
    case Cmd::kNewModelDialog: {
      if (!ui_.new_model_open) ui_.new_model_form = ModelForm::from(st_.model.config);
      std::string why;
      RRCNN_CHECK(ui_.new_model_form.assign(c.path, &why), why);
      ui_.new_model_open = true;
      return true;
    }
    case Cmd::kNewModelProbe: {
      const ModelConfig config = model_config_from_json(c.path, "new model");
      if (!new_model_probe_)
        new_model_probe_ = std::make_unique<TrainProbe>(
            [kind = backend_kind_](const ModelConfig& m) { return make_backend(kind, m, nullptr); });
      st_.new_model = NewModelTiming{};
      st_.new_model.config = c.path;
      st_.new_model.batch = st_.train.batch;
      new_model_probe_->request(config, init_params(ParamLayout(config), 0), train_data_,
                                st_.train.batch);
      poll_new_model();
      return true;
    }
    case Cmd::kNewModel: {
      const TrainPhase ph = trainer_->status().phase;
      RRCNN_CHECK(ph != TrainPhase::kRunning && ph != TrainPhase::kPaused &&
                      ph != TrainPhase::kStopping,
                  "stop training before creating a new model");
      ModelConfig config = model_config_from_json(c.path, "new model");
      RRCNN_CHECK(config.height == view_data_->height && config.width == view_data_->width,
                  "new model: the grid must be the digits' " << view_data_->height << "x"
                                                             << view_data_->width);
      leave_canvas();
      set_weights(config, init_params(ParamLayout(config), 0), AdamState{},
                  "fresh parameters (init seed 0)", true);
      st_.model.init_seed = 0;
      st_.train.seed = 0;
      st_.ckpt_path.clear();
      ui_.ckpt_path[0] = 0;
      ui_.new_model_open = false;
      notice("new model " + config.preset + " (" + describe_model_config(config) +
             "): press Start (T) to train it");
      return true;
    }
    case Cmd::kOverlayAdd: {
      const std::string path = resolve_input(c);
      RRCNN_CHECK(!path.empty(), "overlay: choose a training log (.jsonl)");
      check_readable_file(path, "training log");
      RunLog log = read_run_log(path);
      RRCNN_CHECK(!log.points.empty(), path << ": no training steps in this log");
      auto same = std::find_if(st_.overlays.begin(), st_.overlays.end(),
                               [&](const RunLog& r) { return r.path == path; });
      if (same != st_.overlays.end()) {
        *same = std::move(log);  // read again: a log still being written has grown
      } else {
        st_.overlays.push_back(std::move(log));
      }
      remember_run(path);
      return true;
    }
    case Cmd::kOverlayRemove:
      if (c.n < 0)
        st_.overlays.clear();
      else if (size_t(c.n) < st_.overlays.size())
        st_.overlays.erase(st_.overlays.begin() + c.n);
      return true;
    default:
      return false;
  }
}

}  // namespace rrcnn
