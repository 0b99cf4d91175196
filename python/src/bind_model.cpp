// rrcnn.Model: a checkpoint in memory (the studio's files), its parameters as writable numpy
// views, and rollouts on any backend with the masks `rrcnn render` / `rrcnn eval` draw.
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common.h"
#include "core/cpu_backend.h"
#include "gpu/backend_factory.h"
#include "core/error.h"
#include "core/init.h"
#include "core/param_layout.h"
#include "model_state.h"

namespace rrcnn::python {
namespace {

using ModelPtr = std::shared_ptr<ModelState>;

std::shared_ptr<ModelState> new_model(const ModelConfig& config, uint64_t seed) {
  config.validate();
  auto m = std::make_shared<ModelState>();
  m->ck.config = config;
  m->ck.seed = seed;
  m->ck.params = init_params(ParamLayout(config), seed);
  m->ck.note = "rrcnn python";
  return m;
}

ModelPtr make_model(const py::object& config, uint64_t seed) {
  if (py::isinstance<py::str>(config)) return new_model(model_preset(config.cast<std::string>()), seed);
  RRCNN_CHECK(py::isinstance<py::dict>(config),
              "Model: config must be a preset name (" << py::str(py::cast(preset_names())).cast<std::string>()
                                                      << ") or a dict, got "
                                                      << std::string(py::str(py::type::of(config).attr("__name__"))));
  return new_model(config_from_dict(config.cast<py::dict>()), seed);
}

// The first non-finite value of an input, named by its numpy index: "[0, 3, 4]".
void check_finite_input(const FloatArray& x, const std::string& what) {
  const float* d = x.data();
  for (py::ssize_t i = 0; i < x.size(); ++i) {
    if (std::isfinite(d[i])) continue;
    std::ostringstream idx;
    py::ssize_t rest = i;
    std::vector<py::ssize_t> pos(x.ndim());
    for (py::ssize_t k = x.ndim() - 1; k >= 0; --k) {
      pos[k] = rest % x.shape(k);
      rest /= x.shape(k);
    }
    for (size_t k = 0; k < pos.size(); ++k) idx << (k ? ", " : "") << pos[k];
    RRCNN_FAIL(what << ": input" << shape_string(x) << " has " << d[i] << " at [" << idx.str() << "]");
  }
}

// Initial states (B, H, W, C) from images (B, H, W) (zeros with the image channel set, as a
// reset does) or a copy of states (B, H, W, C).
std::vector<float> initial_states(const ModelConfig& c, const FloatArray& x, const std::string& what,
                                  int* batch) {
  check_finite_input(x, what);
  if (x.ndim() == 4) {
    RRCNN_CHECK(x.shape(1) == c.height && x.shape(2) == c.width && x.shape(3) == c.channels,
                what << ": expected states (B, " << c.height << ", " << c.width << ", " << c.channels
                     << ") or images (B, " << c.height << ", " << c.width << "), got " << shape_string(x));
    *batch = int(x.shape(0));
    RRCNN_CHECK(*batch >= 1, what << ": the batch is empty");
    return std::vector<float>(x.data(), x.data() + x.size());
  }
  RRCNN_CHECK(x.ndim() == 3 && x.shape(1) == c.height && x.shape(2) == c.width,
              what << ": expected images (B, " << c.height << ", " << c.width << ") or states (B, "
                   << c.height << ", " << c.width << ", " << c.channels << "), got " << shape_string(x));
  *batch = int(x.shape(0));
  RRCNN_CHECK(*batch >= 1, what << ": the batch is empty");
  return initial_state(c, std::vector<float>(x.data(), x.data() + x.size()));
}

struct RolloutArgs {
  int steps = 0;
  py::object dropout;
  uint64_t seed = 0;
  uint32_t episode = 0;
  int64_t start_step = 0;
  int record_every = 0;
  std::string record = "image";
  std::string backend = "auto";
  int threads = 0;
};

// The rollout itself: GIL released, model locked, the backend advanced in chunks of
// record_every steps (the chunking does not change the numbers: the masks are keyed by step).
py::object rollout(ModelState& m, const py::object& x_obj, const RolloutArgs& a, const char* what) {
  const ModelConfig& c = m.ck.config;
  RRCNN_CHECK(a.steps >= 0, what << ": steps must be >= 0, got " << a.steps);
  RRCNN_CHECK(a.record_every >= 0, what << ": record_every must be >= 0, got " << a.record_every);
  RRCNN_CHECK(a.record == "image" || a.record == "state",
              what << ": record must be 'image' or 'state', got '" << a.record << "'");
  RRCNN_CHECK(a.start_step >= 0, what << ": start_step must be >= 0, got " << a.start_step);
  const float rate = a.dropout.is_none() ? c.dropout_rate : a.dropout.cast<float>();
  RRCNN_CHECK(rate >= 0.0f && rate < 1.0f, what << ": dropout " << rate << " must be in [0, 1)");
  const FloatArray x = as_floats(x_obj, std::string(what) + ": input");
  int batch = 0;
  std::vector<float> init = initial_states(c, x, what, &batch);
  const bool record_state = a.record == "state";
  const int k = a.record_every;
  const size_t frames = k > 0 ? size_t(a.steps / k) + 1 : 0;
  const size_t per_frame = size_t(batch) * c.cells() * (record_state ? c.channels : 1);
  std::vector<float> final_state, trajectory;
  {
    py::gil_scoped_release nogil;
    std::lock_guard<std::mutex> lock(m.mu);
    ThreadsScope threads(a.threads);
    Backend& be = m.inference_backend(a.backend);
    be.set_live_dropout(rate);
    be.set_state(init, batch);
    be.set_live_stream(a.seed, a.episode, a.start_step);
    if (k > 0) {
      trajectory.reserve(frames * per_frame);
      auto keep = [&] {
        const std::vector<float> v = record_state ? be.state() : be.image();
        trajectory.insert(trajectory.end(), v.begin(), v.end());
      };
      keep();
      int done = 0;
      while (done + k <= a.steps) {
        be.step(k);
        done += k;
        keep();
      }
      be.step(a.steps - done);
    } else {
      be.step(a.steps);
    }
    final_state = be.state();
  }
  const py::ssize_t b = batch, h = c.height, w = c.width, ch = c.channels;
  py::array states = to_numpy(std::move(final_state), {b, h, w, ch});
  if (k == 0) return states;
  std::vector<py::ssize_t> shape = {py::ssize_t(frames), b, h, w};
  if (record_state) shape.push_back(ch);
  return py::make_tuple(states, to_numpy(std::move(trajectory), shape));
}

// rrcnn.Simulation: a live batch kept in its own backend between calls, like the studio's
// live view: step(n) continues bit for bit (the perception is updated incrementally, never
// recomputed), brush strokes edit the live state. The model's parameters are re-read when
// they changed.
class Simulation {
 public:
  Simulation(ModelPtr model, const py::object& x, const py::object& dropout, uint64_t seed, uint32_t episode,
             const std::string& backend, int threads)
      : model_(std::move(model)), threads_(threads) {
    const ModelConfig& c = model_->ck.config;
    const float rate = dropout.is_none() ? c.dropout_rate : dropout.cast<float>();
    const FloatArray a = as_floats(x, "simulate: input");
    int batch = 0;
    std::vector<float> init = initial_states(c, a, "simulate", &batch);
    py::gil_scoped_release nogil;
    ThreadsScope ts(threads_);
    be_ = make_backend(parse_backend_kind(backend), c, &note_);
    sync();
    be_->set_live_dropout(rate);
    be_->set_state(init, batch);
    be_->set_live_stream(seed, episode, 0);
    seed_ = seed;
  }

  void step(int n) {
    RRCNN_CHECK(n >= 0, "Simulation.step: steps must be >= 0, got " << n);
    py::gil_scoped_release nogil;
    std::lock_guard<std::mutex> lock(mu_);
    ThreadsScope ts(threads_);
    sync();
    be_->step(n);
  }

  py::array state() {
    std::vector<float> s;
    {
      py::gil_scoped_release nogil;
      std::lock_guard<std::mutex> lock(mu_);
      s = be_->state();
    }
    const ModelConfig& c = model_->ck.config;
    return to_numpy(std::move(s), {be_->batch(), c.height, c.width, c.channels});
  }

  py::array image() {
    std::vector<float> s;
    {
      py::gil_scoped_release nogil;
      std::lock_guard<std::mutex> lock(mu_);
      s = be_->image();
    }
    const ModelConfig& c = model_->ck.config;
    return to_numpy(std::move(s), {be_->batch(), c.height, c.width});
  }

  void set_state(const py::object& x) {
    const FloatArray a = as_floats(x, "Simulation.state: input");
    int batch = 0;
    std::vector<float> init = initial_states(model_->ck.config, a, "Simulation.state", &batch);
    py::gil_scoped_release nogil;
    std::lock_guard<std::mutex> lock(mu_);
    be_->set_state(init, batch);
  }

  void brush(BrushMode mode, float x, float y, float radius, const py::object& to, const py::object& sample,
             float strength) {
    BrushStroke s;
    s.mode = mode;
    s.x0 = s.x1 = x + 0.5f;
    s.y0 = s.y1 = y + 0.5f;
    if (!to.is_none()) {
      const auto p = to.cast<std::pair<float, float>>();
      s.x1 = p.first + 0.5f, s.y1 = p.second + 0.5f;
    }
    s.radius = radius;
    s.strength = strength;
    s.sample = sample.is_none() ? -1 : sample.cast<int>();
    py::gil_scoped_release nogil;
    std::lock_guard<std::mutex> lock(mu_);
    s.serial = serial_++;  // successive noise strokes draw fresh noise, as in the studio
    be_->brush(s);
  }

  int64_t step_count() const { return be_->live_step(); }
  float dropout() const { return be_->live_dropout(); }
  void set_dropout(float r) { be_->set_live_dropout(r); }
  std::string backend_name() const { return be_->name() + " (" + be_->device_name() + ")"; }

 private:
  void sync() {
    std::lock_guard<std::mutex> lock(model_->mu);  // a Trainer may be writing them
    const std::vector<float>& p = model_->ck.params;
    if (uploaded_.size() != p.size() || std::memcmp(uploaded_.data(), p.data(), p.size() * sizeof(float)) != 0) {
      be_->set_params(p);
      uploaded_ = p;
    }
  }

  ModelPtr model_;
  std::unique_ptr<Backend> be_;
  std::vector<float> uploaded_;
  std::string note_;
  int threads_ = 0;
  uint64_t seed_ = 0;
  uint32_t serial_ = 0;
  std::mutex mu_;
};

py::dict param_views(const ModelPtr& m) {
  py::dict out;
  py::object owner = py::cast(m);
  const ParamLayout layout(m->ck.config);
  for (const TensorSpec& t : layout.tensors()) {
    std::vector<py::ssize_t> shape(t.shape.begin(), t.shape.end());
    out[py::str(t.name)] = py::array_t<float>(shape, m->ck.params.data() + t.offset, owner);
  }
  return out;
}

}  // namespace

py::dict config_to_dict(const ModelConfig& c) {
  py::dict d;
  d["preset"] = c.preset;
  d["height"] = c.height;
  d["width"] = c.width;
  d["channels"] = c.channels;
  d["perception"] = c.perception;
  d["hidden"] = py::cast(c.hidden);
  d["rollout_steps"] = c.rollout_steps;
  d["dropout_rate"] = c.dropout_rate;
  d["step_size"] = c.step_size;
  return d;
}

ModelConfig config_from_dict(const py::dict& d) {
  // A dict may start from a preset ({"preset": "lite", "channels": 32}) or from the defaults.
  // Model.config round-trips: {"preset": "custom", ...} starts from the defaults.
  ModelConfig c;
  std::string base = "custom";
  if (d.contains("preset")) base = py::str(d["preset"]).cast<std::string>();
  if (base != "custom") c = model_preset(base);  // throws on an unknown name
  const char* known = "preset, height, width, channels, perception, hidden, rollout_steps, dropout_rate, step_size";
  for (auto item : d) {
    const std::string key = py::str(item.first);
    const py::handle v = item.second;
    try {
      if (key == "preset") continue;
      else if (key == "height") c.height = v.cast<int>();
      else if (key == "width") c.width = v.cast<int>();
      else if (key == "channels") c.channels = v.cast<int>();
      else if (key == "perception") c.perception = v.cast<int>();
      else if (key == "hidden") c.hidden = v.cast<std::vector<int>>();
      else if (key == "rollout_steps") c.rollout_steps = v.cast<int>();
      else if (key == "dropout_rate") c.dropout_rate = v.cast<float>();
      else if (key == "step_size") c.step_size = v.cast<float>();
      else RRCNN_FAIL("config: unknown key '" << key << "' (known: " << known << ")");
    } catch (const py::cast_error&) {
      RRCNN_FAIL("config: '" << key << "' has the wrong type (" << std::string(py::str(py::type::of(v).attr("__name__"))) << ")");
    }
  }
  // The preset's name only while every field is still the preset's.
  c.preset = "custom";
  if (base != "custom") {
    const ModelConfig p = model_preset(base);
    if (p.height == c.height && p.width == c.width && p.channels == c.channels && p.perception == c.perception &&
        p.hidden == c.hidden && p.rollout_steps == c.rollout_steps && p.dropout_rate == c.dropout_rate &&
        p.step_size == c.step_size)
      c.preset = base;
  }
  c.validate();
  return c;
}

void bind_model(py::module_& m) {
  py::class_<Simulation>(m, "Simulation", "A live batch of states in its own backend (Model.simulate).")
      .def("step", &Simulation::step, py::arg("steps") = 1, "Advances the batch `steps` steps (without the GIL).")
      .def_property("state", &Simulation::state, &Simulation::set_state,
                    "The states (B, H, W, C) (a copy); assigning states or images replaces them.")
      .def_property_readonly("image", &Simulation::image, "The image channel (B, H, W) (a copy).")
      .def_property_readonly("step_count", &Simulation::step_count, "Steps since the start (the masks' step).")
      .def_property("dropout", &Simulation::dropout, &Simulation::set_dropout)
      .def_property_readonly("backend", &Simulation::backend_name)
      .def("erase", [](Simulation& s, float x, float y, float radius, const py::object& sample, const py::object& to) {
        s.brush(BrushMode::kErase, x, y, radius, to, sample, 1.0f);
      }, py::arg("x"), py::arg("y"), py::arg("radius") = 3.0f, py::kw_only(), py::arg("sample") = py::none(),
         py::arg("to") = py::none(), "The studio's erase brush on the live state (see rrcnn.erase).")
      .def("draw", [](Simulation& s, float x, float y, float radius, float strength, const py::object& sample,
                      const py::object& to) { s.brush(BrushMode::kDraw, x, y, radius, to, sample, strength); },
         py::arg("x"), py::arg("y"), py::arg("radius") = 1.5f, py::kw_only(), py::arg("strength") = 1.0f,
         py::arg("sample") = py::none(), py::arg("to") = py::none(), "The draw brush (see rrcnn.draw).")
      .def("noise", [](Simulation& s, float x, float y, float radius, float strength, const py::object& sample,
                       const py::object& to) { s.brush(BrushMode::kNoise, x, y, radius, to, sample, strength); },
         py::arg("x"), py::arg("y"), py::arg("radius") = 3.0f, py::kw_only(), py::arg("strength") = 0.5f,
         py::arg("sample") = py::none(), py::arg("to") = py::none(), "The noise brush (see rrcnn.noise_disc).");

  py::class_<ModelState, ModelPtr> cls(m, "Model", R"doc(
An RRCNN: configuration, parameters (and Adam state when loaded from a training checkpoint).

Model("seed" | "lite" | config_dict, seed=0) initialises parameters as `rrcnn train` does;
Model.load(path) reads a studio checkpoint (safetensors). Arrays are float32 with shapes
[batch, height, width, channels]; the last channel is the image.)doc");
  cls.def(py::init(&make_model), py::arg("config") = "seed", py::arg("seed") = 0)
      .def_static("load", [](const std::string& path) {
        Checkpoint ck;
        {
          py::gil_scoped_release nogil;
          ck = load_checkpoint(path);
        }
        auto mp = std::make_shared<ModelState>();
        mp->ck = std::move(ck);
        mp->path = path;
        return mp;
      }, py::arg("path"), "Loads a checkpoint written by the studio, the CLI or Model.save.")
      .def("save", [](ModelState& s, const std::string& path, bool optimizer) {
        {
          py::gil_scoped_release nogil;
          std::lock_guard<std::mutex> lock(s.mu);
          save_checkpoint(path, s.ck, optimizer);
        }
        s.path = path;
      }, py::arg("path"), py::arg("optimizer") = true,
         "Writes a checkpoint atomically (with the Adam state unless optimizer=False).")
      .def_property_readonly("config", [](const ModelState& s) { return config_to_dict(s.ck.config); },
                             "The model configuration as a dict (a copy).")
      .def_property("seed", [](const ModelState& s) { return s.ck.seed; },
                    [](ModelState& s, uint64_t v) { s.ck.seed = v; },
                    "The seed of initialisation and training (the checkpoint's `seed`).")
      .def_property("recipe", [](const ModelState& s) { return s.ck.recipe; },
                    [](ModelState& s, const std::string& v) { s.ck.recipe = v; },
                    "'seed' (the reference recipe) or 'pool' (persistent: the studio runs it on).")
      .def_property("note", [](const ModelState& s) { return s.ck.note; },
                    [](ModelState& s, const std::string& v) { s.ck.note = v; })
      .def_property_readonly("path", [](const ModelState& s) { return s.path; })
      .def_property_readonly("optimizer_step", [](const ModelState& s) -> py::object {
        if (s.ck.adam.empty()) return py::none();
        return py::int_(s.ck.adam.step);
      }, "Optimiser updates applied so far, or None when there is no Adam state.")
      .def_property("optimizer_state", [](const ModelState& s) -> py::object {
        if (s.ck.adam.empty()) return py::none();
        const ParamLayout layout(s.ck.config);
        py::dict mu, nu;
        for (const TensorSpec& t : layout.tensors()) {
          if (!t.trained) continue;
          const size_t at = t.offset - layout.trained_offset();
          std::vector<py::ssize_t> shape(t.shape.begin(), t.shape.end());
          mu[py::str(t.name)] = py::array_t<float>(shape, s.ck.adam.mu.data() + at);  // copies
          nu[py::str(t.name)] = py::array_t<float>(shape, s.ck.adam.nu.data() + at);
        }
        py::dict d;
        d["step"] = s.ck.adam.step;
        d["mu"] = mu;
        d["nu"] = nu;
        return d;
      }, [](ModelState& s, const py::object& v) {
        if (v.is_none()) {
          s.ck.adam = AdamState{};
          return;
        }
        const py::dict d = v.cast<py::dict>();
        RRCNN_CHECK(d.contains("step") && d.contains("mu") && d.contains("nu"),
                    "optimizer_state: expected a dict with 'step', 'mu' and 'nu'");
        const ParamLayout layout(s.ck.config);
        AdamState a;
        a.step = d["step"].cast<int64_t>();
        RRCNN_CHECK(a.step >= 0, "optimizer_state: negative step " << a.step);
        a.mu.assign(layout.trained_count(), 0.0f);
        a.nu.assign(layout.trained_count(), 0.0f);
        for (const char* which : {"mu", "nu"}) {
          const py::dict m = d[which].cast<py::dict>();
          std::vector<float>& dst = std::string(which) == "mu" ? a.mu : a.nu;
          for (const TensorSpec& t : layout.tensors()) {
            if (!t.trained) continue;
            RRCNN_CHECK(m.contains(t.name), "optimizer_state: '" << which << "' lacks " << t.name);
            const FloatArray arr = as_floats(m[py::str(t.name)], std::string("optimizer_state: ") + which + " " + t.name);
            RRCNN_CHECK(size_t(arr.size()) == t.count, "optimizer_state: " << which << " " << t.name << " has "
                                                                           << arr.size() << " values, expected " << t.count);
            check_finite_input(arr, std::string("optimizer_state: ") + which + " " + t.name);
            std::copy(arr.data(), arr.data() + arr.size(), dst.begin() + (t.offset - layout.trained_offset()));
          }
        }
        s.ck.adam = std::move(a);
      }, "Adam's state as {'step', 'mu': {name: array}, 'nu': {...}} for the trained tensors (copies), or "
         "None; assign such a dict (e.g. moments from optax) or None. Trainers read it when created.")
      .def("reset_optimizer", [](ModelState& s) { s.ck.adam = AdamState{}; },
           "Drops the Adam state: the next Trainer starts a fresh optimiser at step 0.")
      .def("_param_views", &param_views)
      .def_property_readonly("flat_params", [](const ModelPtr& s) {
        return py::array_t<float>({py::ssize_t(s->ck.params.size())}, s->ck.params.data(), py::cast(s));
      }, "All parameters as one writable 1-D view, in the checkpoint's layout order.")
      .def_property_readonly("param_specs", [](const ModelState& s) {
        py::list out;
        const ParamLayout layout(s.ck.config);
        for (const TensorSpec& t : layout.tensors())
          out.append(py::make_tuple(t.name, py::tuple(py::cast(t.shape)), t.trained));
        return out;
      }, "[(name, shape, trained)] in layout order; the perception kernel is frozen.")
      .def("backend_info", [](ModelState& s, const std::string& backend) {
        py::gil_scoped_release nogil;
        std::lock_guard<std::mutex> lock(s.mu);
        Backend& be = s.inference_backend(backend);
        py::gil_scoped_acquire gil;
        py::dict d;
        d["name"] = be.name();
        d["device"] = be.device_name();
        d["note"] = s.backend_note;
        return d;
      }, py::arg("backend") = "auto", "Which backend `backend` resolves to, and why.");

  auto def_rollout = [&](const char* name, bool with_record, const char* doc) {
    if (with_record) {
      cls.def(name, [](ModelState& s, const py::object& x, int steps, const py::object& dropout, uint64_t seed,
                       uint32_t episode, int64_t start_step, int record_every, const std::string& record,
                       const std::string& backend, int threads) {
        RolloutArgs a{steps, dropout, seed, episode, start_step, record_every, record, backend, threads};
        return rollout(s, x, a, "rollout");
      }, py::arg("x"), py::arg("steps"), py::kw_only(), py::arg("dropout") = py::none(),
         py::arg("seed") = 0, py::arg("episode") = 0, py::arg("start_step") = 0,
         py::arg("record_every") = 0, py::arg("record") = "image", py::arg("backend") = "auto",
         py::arg("threads") = 0, doc);
    } else {
      cls.def(name, [](ModelState& s, const py::object& x, int steps, const py::object& dropout, uint64_t seed,
                       uint32_t episode, int64_t start_step, const std::string& backend, int threads) {
        RolloutArgs a{steps, dropout, seed, episode, start_step, 0, "image", backend, threads};
        return rollout(s, x, a, "step");
      }, py::arg("x"), py::arg("steps") = 1, py::kw_only(), py::arg("dropout") = py::none(),
         py::arg("seed") = 0, py::arg("episode") = 0, py::arg("start_step") = 0,
         py::arg("backend") = "auto", py::arg("threads") = 0, doc);
    }
  };
  cls.def("simulate", [](const ModelPtr& s, const py::object& x, const py::object& dropout, uint64_t seed,
                          uint32_t episode, const std::string& backend, int threads) {
    return std::make_unique<Simulation>(s, x, dropout, seed, episode, backend, threads);
  }, py::arg("x"), py::kw_only(), py::arg("dropout") = py::none(), py::arg("seed") = 0, py::arg("episode") = 0,
     py::arg("backend") = "auto", py::arg("threads") = 0, R"doc(
A live batch like the studio's view: Simulation.step(n) advances it in its own backend and
continues bit for bit across calls (as one `rrcnn render` rollout does); .state / .image read it,
.erase / .draw / .noise paint on it. Starts from images (B, H, W) or states (B, H, W, C).)doc");
  def_rollout("rollout", true, R"doc(
Runs `steps` steps from images (B, H, W) (a zero state with the image channel set, as a reset
does; noise them first with rrcnn.noisy) or states (B, H, W, C), with cell dropout `dropout`
(default: the model's rate, as the studio and `rrcnn render` run it) drawn from the stream
(seed, episode) starting at start_step. Returns the final states (B, H, W, C); with
record_every=k > 0 returns (states, trajectory), the trajectory holding the image channel
(record="image": (T, B, H, W)) or every channel (record="state": (T, B, H, W, C)) after
0, k, 2k, ... steps (T = steps // k + 1). backend: "auto" | "cpu" | "cuda"; threads: CPU
threads for this call (0: the current setting). Runs without the GIL.)doc");
  def_rollout("step", false, R"doc(
Advances states (B, H, W, C) (or images (B, H, W), started as a reset does) by `steps` steps
and returns the new states. The dropout masks are those of step start_step, start_step+1, ...
of the stream (seed, episode): pass start_step to continue a rollout exactly.)doc");
}

}  // namespace rrcnn::python
