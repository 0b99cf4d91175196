// Headless replay of a studio script (see script_replay.h). Each action is posted to a LiveSim
// as Studio::apply posts it (studio_apply.cpp: apply_noise's "only what changed", the blank
// canvas and its return, set_weights' new worker for a model of another size), so the worker
// sees the same command sequence as the window did.
#include "session/script_replay.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cli/render_flags.h"
#include "core/checkpoint.h"
#include "core/dataset.h"
#include "core/error.h"
#include "core/init.h"
#include "core/param_layout.h"
#include "core/parallel.h"
#include "gpu/backend_factory.h"
#include "gui/commands.h"
#include "gui/files/file_kind.h"
#include "gui/files/shipped_models.h"
#include "gui/live/live_sim.h"
#include "gui/rendering/capture.h"
#include "gui/scripting/script.h"
#include "session/state_hash.h"

namespace rrcnn {
namespace fs = std::filesystem;
namespace {

BrushMode mode_of(const std::string& w) {
  return w == "erase" ? BrushMode::kErase : w == "noise" ? BrushMode::kNoise : BrushMode::kDraw;
}

bool same_shape(const ModelConfig& a, const ModelConfig& b) {
  return a.height == b.height && a.width == b.width && a.channels == b.channels &&
         a.perception == b.perception && a.hidden == b.hidden;
}

// The studio's live view, without the studio: the settings apply() compares against, and the
// worker.
class Replay {
 public:
  Replay(BackendKind kind, int batch, const std::string& data_dir) : kind_(kind) {
    noise_.batch = batch;
    DataSplit split = load_data_dir(data_dir);
    data_ = std::make_shared<const Dataset>(std::move(split.test));
  }

  // Studio::set_weights: a model of another size gets a worker of its own.
  void set_weights(const ModelConfig& config, std::vector<float> params) {
    const bool reshape = !sim_ || !same_shape(config, config_);
    config_ = config;
    if (!reshape) {
      SimCommand s{SimOp::kSetParams};
      s.params = std::make_shared<const std::vector<float>>(std::move(params));
      sim_->post(s);
      return;
    }
    RRCNN_CHECK(!recording_, "a model of another size (" << config.preset << ") replaces the live view "
                             "during the recording: one GIF cannot show both (split the script there)");
    noise_.dropout = config.dropout_rate;
    if (sim_) sim_->sync();
    sim_.reset();
    std::unique_ptr<Backend> backend = make_backend(kind_, config, nullptr);
    backend->set_params(params);
    backend->set_live_dropout(std::min(noise_.dropout, 0.95f));
    sim_ = std::make_unique<LiveSim>(std::move(backend), data_, noise_.batch, noise_.seed);
    if (!noise_.random_alpha) {
      SimCommand c{SimOp::kSetNoise};
      c.value = noise_.alpha;
      sim_->post(c);
    }
  }
  void load(const std::string& path) {
    Checkpoint ck = load_checkpoint(path);
    set_weights(ck.config, std::move(ck.params));
  }
  void preset(const std::string& name) {
    const ModelConfig config = model_preset(name);
    set_weights(config, init_params(ParamLayout(config), 0));
  }
  // Studio::leave_canvas.
  void leave_canvas() {
    if (canvas_batch_ == 0) return;
    noise_.batch = canvas_batch_;
    canvas_batch_ = 0;
    SimCommand s{SimOp::kSetBatch};
    s.n = noise_.batch;
    sim_->post(s);
  }
  // Studio::apply_noise: only what changed reaches the worker.
  void set_noise(NoiseSettings n) {
    const NoiseSettings old = noise_;
    n.alpha = std::clamp(n.alpha, 0.0f, 1.0f);
    n.dropout = std::clamp(n.dropout, 0.0f, 0.95f);
    n.batch = std::clamp(n.batch, 1, 64);
    noise_ = n;
    if (old.random_alpha != n.random_alpha || (!n.random_alpha && old.alpha != n.alpha)) {
      SimCommand s{SimOp::kSetNoise};
      s.value = n.random_alpha ? -1.0f : n.alpha;
      sim_->post(s);
    }
    if (old.dropout != n.dropout) {
      SimCommand s{SimOp::kSetDropout};
      s.value = n.dropout;
      sim_->post(s);
    }
    if (old.seed != n.seed) {
      SimCommand s{SimOp::kSetSeed};
      s.seed = n.seed;
      sim_->post(s);
    }
    if (old.batch != n.batch) {
      canvas_batch_ = 0;
      SimCommand s{SimOp::kSetBatch};
      s.n = n.batch;
      sim_->post(s);
    }
  }
  void open_data(const std::string& path) {
    if (fs::is_directory(path)) {
      data_ = std::make_shared<const Dataset>(load_data_dir(path).test);
    } else {
      data_ = std::make_shared<const Dataset>(load_idx_images(path, matching_labels_path(path)));
    }
    SimCommand s{SimOp::kSetData};
    s.data = data_;
    sim_->post(s);
  }

  BackendKind kind_;
  std::shared_ptr<const Dataset> data_;
  std::unique_ptr<LiveSim> sim_;
  ModelConfig config_;
  NoiseSettings noise_;
  BrushSettings brush_;
  int canvas_batch_ = 0;
  bool recording_ = false;  // the GIF has begun
  float fps_speed_ = 30;
  bool max_speed_ = false;
};

// The action's words as one line, for messages.
std::string line_text(const ScriptAction& a) {
  std::string t = a.op;
  for (const std::string& w : a.args) t += " " + w;
  return t;
}

}  // namespace

bool is_script_render(const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "render") return false;
  for (const std::string& a : args)
    if (a == "--script" || a.rfind("--script=", 0) == 0) return true;
  return false;
}

int render_script(const std::vector<std::string>& argv) {
  const std::vector<std::string> rest(argv.begin() + 1, argv.end());
  // One declaration of render's flags for both modes (cli/render_flags.h), so --help lists all.
  const std::unique_ptr<Flags> parsed = render_flags();
  Flags& args = *parsed;
  if (!args.parse(rest)) {
    std::fputs(args.help().c_str(), stdout);
    return 0;
  }
  check_render_mode(args, true);
  const std::string script_path = args.str("script"), out = args.str("out");
  RRCNN_CHECK(!out.empty(), "rrcnn render --script: --out FILE.gif is required");
  RRCNN_CHECK(out.size() > 4 && out.compare(out.size() - 4, 4, ".gif") == 0,
              "rrcnn render --script: --out '" << out << "' must end in .gif");
  const std::vector<ScriptAction> actions = load_script(script_path);
  const int threads = args.integer("threads", 0, 0, 1024);
  if (threads > 0) set_num_threads(threads);
  const int scale = args.integer("scale", 3, 1, 32);

  Replay r(parse_backend_kind(args.str("backend", "auto")), args.integer("batch", 8, 1, 64),
           args.has("data") ? args.str("data") : default_data_dir());
  const std::string ckpt = args.has("ckpt") ? args.str("ckpt") : default_checkpoint_path();
  std::error_code ec;
  if (fs::exists(ckpt, ec)) r.load(ckpt);
  else r.preset("seed");  // the studio without its default model starts fresh

  bool recording = false;
  int skipped = 0;
  const auto start_recording = [&] {
    r.sim_->post(SimCommand{SimOp::kRecordStart});
    recording = r.recording_ = true;
  };
  for (size_t i = 0; i < actions.size(); ++i) {
    const ScriptAction& a = actions[i];
    const std::string& op = a.op;
    const std::string where = script_path + ":" + std::to_string(a.line) + ": ";
    NoiseSettings n = r.noise_;
    if (op == "step") {
      SimCommand s{SimOp::kStep};
      s.n = std::max(a.int_arg(0, 1), 1);
      r.sim_->post(s);
    } else if (op == "stroke-at" || op == "paint" || op == "stroke") {
      SimCommand s{SimOp::kBrush};
      BrushStroke& b = s.stroke;
      b.sample = a.int_arg(0);
      if (op == "stroke-at") {
        b.x0 = a.float_arg(1), b.y0 = a.float_arg(2), b.x1 = a.float_arg(3), b.y1 = a.float_arg(4);
        b.radius = a.float_arg(5);
        b.mode = mode_of(a.str_arg(6));
        b.strength = a.float_arg(7);
        b.serial = uint32_t(std::strtoul(a.str_arg(8).c_str(), nullptr, 10));
      } else {  // as script_commands.cpp makes them
        const bool dot = op == "paint";
        b.x0 = a.float_arg(1) + 0.5f;
        b.y0 = a.float_arg(2) + 0.5f;
        b.x1 = (dot ? a.float_arg(1) : a.float_arg(3)) + 0.5f;
        b.y1 = (dot ? a.float_arg(2) : a.float_arg(4)) + 0.5f;
        b.radius = r.brush_.radius;
        b.mode = r.brush_.mode;
        b.strength = r.brush_.strength;
        b.serial = uint32_t(i + 1);
      }
      r.sim_->post(s);
    } else if (op == "reset" || op == "new-noise" || op == "add-noise") {
      r.sim_->post(SimCommand{op == "reset"       ? SimOp::kReset
                              : op == "new-noise" ? SimOp::kNewNoise
                                                  : SimOp::kAddNoise});
    } else if (op == "new-digits") {
      if (r.canvas_batch_ == 0) {
        SimCommand s{SimOp::kNewDigits};
        s.flag = a.str_arg(0) == "keep-hidden";
        r.sim_->post(s);
      } else {
        r.leave_canvas();
      }
    } else if (op == "blank") {
      if (r.canvas_batch_ == 0) r.canvas_batch_ = r.noise_.batch;
      r.noise_.batch = 1;
      SimCommand s{SimOp::kBlank};
      s.n = 1;
      r.sim_->post(s);
    } else if (op == "noise" || op == "dropout" || op == "seed" || op == "batch") {
      if (op == "noise") {
        n.random_alpha = a.str_arg(0) == "random";
        if (!n.random_alpha) n.alpha = a.float_arg(0);
      }
      if (op == "dropout") n.dropout = a.float_arg(0);
      if (op == "seed") n.seed = std::strtoull(a.str_arg(0).c_str(), nullptr, 10);
      if (op == "batch") n.batch = a.int_arg(0);
      r.set_noise(n);
    } else if (op == "restore") {
      r.canvas_batch_ = 0;
      r.noise_.seed = std::strtoull(a.str_arg(0).c_str(), nullptr, 10);
      SimCommand s{SimOp::kRestore};
      s.seed = r.noise_.seed;
      s.n = a.int_arg(1);
      s.episode = uint32_t(std::strtoul(a.str_arg(2).c_str(), nullptr, 10));
      r.sim_->post(s);
      if (!recording) start_recording();
    } else if (op == "load" || op == "preset") {
      try {  // the script line in front of what the loader says
        if (op == "preset") r.leave_canvas();
        op == "load" ? r.load(a.str_arg(0)) : r.preset(a.str_arg(0));
      } catch (const Error& e) {
        RRCNN_FAIL(where << e.what());
      }
    } else if (op == "model") {
      r.leave_canvas();
      const std::string def = default_checkpoint_path();
      std::string path;
      for (const ShippedModel& m : list_shipped_models(fs::path(def).parent_path().string(),
                                                       fs::path(def).filename().string()))
        if (m.name == a.str_arg(0)) path = m.path;
      RRCNN_CHECK(!path.empty(), where << "no shipped model '" << a.str_arg(0) << "'");
      r.load(path);
      r.sim_->post(SimCommand{SimOp::kReset});
    } else if (op == "open") {
      r.open_data(a.str_arg(0));
    } else if (op == "brush") {
      r.brush_.mode = mode_of(a.str_arg(0));
      if (a.has(1)) r.brush_.radius = std::clamp(a.float_arg(1), 0.5f, 12.0f);
    } else if (op == "speed") {
      r.max_speed_ = a.str_arg(0) == "max";
      if (!r.max_speed_) r.fps_speed_ = a.float_arg(0);
    } else if (op == "train" || op == "fork" || op == "weights" || op == "session-load") {
      RRCNN_FAIL(where << "'" << line_text(a)
                       << "' cannot be replayed without the studio (training, forks, reseeded "
                          "weights and session files change the state in ways a script does not hold)");
    } else if (op == "ab" && a.str_arg(0) != "b-tile" && a.str_arg(0) != "diff") {
      RRCNN_FAIL(where << "'" << line_text(a)
                       << "' runs a second model beside the first, which a GIF of one model does not "
                          "show: replay it in the studio (rrcnn gui --script FILE)");
    } else if (op == "quit") {
      break;
    } else {
      ++skipped;  // the window's own: view, panels, waits, asserts, screenshots, play/pause
    }
    // The studio applies the actions one frame apart; the worker applies them in order either
    // way, and an error stops here, on its line.
    r.sim_->sync();
    for (const std::string& e : r.sim_->take_errors()) RRCNN_FAIL(where << e);
  }
  if (!recording) {  // a hand-written script without `restore`: from its first state
    RRCNN_FAIL(script_path << ": no `restore` line: record the session in the studio (Ctrl+R) "
                              "so the replay knows where it starts");
  }
  r.sim_->post(SimCommand{SimOp::kRecordStop});
  r.sim_->sync();
  SimRecording rec;
  RRCNN_CHECK(r.sim_->take_recording(&rec), "render --script: the recording was cut short (a change of "
                                            "the number of digits ends a GIF)");
  const int fps = r.max_speed_ ? 30 : std::clamp(int(r.fps_speed_ + 0.5f), 1, 50);
  const int frames = save_gif(out, rec, scale, fps);
  SimSnapshot snap;
  r.sim_->fetch(&snap);
  const std::string hash = state_hash_hex(snap.state);
  char line[512];
  std::snprintf(line, sizeof line,
                "{\"frames\": %d, \"live_step\": %lld, \"live_state_hash\": \"%s\", \"skipped\": %d}",
                frames, static_cast<long long>(snap.step), hash.c_str(), skipped);
  std::puts(line);
  if (args.has("report")) {
    std::ofstream rep(args.str("report"));
    RRCNN_CHECK(rep.good(), "cannot write the report '" << args.str("report") << "'");
    rep << line << "\n";
  }
  return 0;
}

}  // namespace rrcnn
