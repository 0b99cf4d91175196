// What each command does (see commands.h). Runs after the frame is drawn; an exception from
// any of these becomes an error popup and the session goes on.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/init.h"
#include "gui/files/file_kind.h"
#include "gui/studio.h"
#include "gui/files/unsaved_guard.h"
#include "gui/training/train_advice.h"

namespace rrcnn {
namespace {

bool same_shape(const ModelConfig& a, const ModelConfig& b) {
  return a.height == b.height && a.width == b.width && a.channels == b.channels &&
         a.perception == b.perception && a.hidden == b.hidden;
}

bool active(TrainPhase p) {
  return p == TrainPhase::kRunning || p == TrainPhase::kPaused || p == TrainPhase::kStopping;
}

SimCommand sim(SimOp op) {
  return SimCommand{op};
}

}  // namespace

bool Studio::ask_before_discarding(const Command& c) {
  if (!st_.model.unsaved) return false;
  const bool ckpt = c.kind == Cmd::kOpenPath && classify_file(c.path) == FileKind::kCheckpoint;
  const std::string action = discarding_action(c, ckpt);
  if (action.empty()) return false;
  st_.prompt.kind = Prompt::kUnsaved;
  st_.prompt.title = "Save the trained weights?";
  st_.prompt.text = unsaved_question(action, adam_.step - st_.model.saved_step);
  st_.prompt.pending = c;
  st_.prompt.pending.discard_ok = true;
  return true;
}

bool Studio::leave_canvas() {
  if (canvas_batch_ == 0) return false;
  // Back to as many digits as before the canvas (new ones).
  st_.noise.batch = canvas_batch_;
  canvas_batch_ = 0;
  SimCommand s = sim(SimOp::kSetBatch);
  s.n = st_.noise.batch;
  sim_->post(s);
  return true;
}

bool Studio::drawing_present() const {
  const SimSnapshot& s = st_.snap;
  if (s.has_target || s.channels <= 0) return false;
  for (size_t i = size_t(s.channels) - 1; i < s.state.size(); i += size_t(s.channels))
    if (s.state[i] > 0.1f) return true;
  return false;
}

bool Studio::ask_before_dropping_drawing(const Command& c) {
  if (c.drawing_ok || !drawing_present()) return false;
  std::string action;
  switch (c.kind) {
    case Cmd::kBlank: action = "A new blank canvas"; break;
    case Cmd::kNewDigits: action = "New digits"; break;
    case Cmd::kReset: action = "Reset"; break;
    case Cmd::kNewNoise: action = "New noise"; break;
    case Cmd::kSwitchModel: action = "Switching the model"; break;
    case Cmd::kUsePreset: action = "A fresh model"; break;
    case Cmd::kAb:  // B joins (or swaps in): both restart from the canvas's empty start
      if (c.n <= int(AbAction::kSwap)) action = "Starting A/B";
      break;
    case Cmd::kSetNoise:
      if (c.noise.batch != st_.noise.batch || c.noise.seed != st_.noise.seed)
        action = c.noise.batch != st_.noise.batch ? "Changing the number of digits"
                                                  : "Changing the seed";
      break;
    default: break;
  }
  if (action.empty()) return false;
  st_.prompt = Prompt();
  st_.prompt.kind = Prompt::kDrawing;
  st_.prompt.title = "Discard your drawing?";
  st_.prompt.text = action + " throws away the digit you drew on the canvas. Press Add noise (A) "
                    "first to keep it as the target.";
  st_.prompt.pending = c;
  return true;
}

void Studio::apply(const Command& c) {
  if (ask_before_discarding(c)) return;
  if (ask_before_dropping_drawing(c)) return;
  if (apply_timeline(c)) return;  // studio_timeline.cpp
  if (apply_runs(c)) return;      // studio_runs.cpp
  if (apply_session(c)) return;   // studio_session.cpp
  switch (c.kind) {
    case Cmd::kNewModelDialog:
    case Cmd::kNewModelProbe:
    case Cmd::kNewModel:
    case Cmd::kOverlayAdd:
    case Cmd::kOverlayRemove:
      break;
    case Cmd::kTimelineSeek:
    case Cmd::kTimelineFork:
    case Cmd::kTimelineKeep:
    case Cmd::kSetTimeline:
    case Cmd::kMcStart:
    case Cmd::kMcCancel:
    case Cmd::kSaveSession:  // apply_session (studio_session.cpp)
    case Cmd::kLoadSession:
    case Cmd::kRecordSession:
    case Cmd::kStopRecording:
    case Cmd::kCopyCommand:
    case Cmd::kRestore:
      break;
    case Cmd::kAb:
      apply_ab(c);  // ab/studio_ab.cpp
      break;
    case Cmd::kSetPacing: {
      SimPacing p = c.pacing;
      p.speed = std::clamp(p.speed, 0.1f, 10000.0f);
      p.rollout_length = std::clamp(p.rollout_length, 1, 100000);
      st_.pacing = p;
      sim_->set_pacing(p);
      break;
    }
    case Cmd::kReset:
      sim_->post(sim(SimOp::kReset));
      break;
    case Cmd::kStep: {
      SimCommand s = sim(SimOp::kStep);
      s.n = std::max(c.n, 1);
      sim_->post(s);
      break;
    }
    case Cmd::kNewDigits: {
      if (leave_canvas()) break;
      SimCommand s = sim(SimOp::kNewDigits);
      s.flag = c.flag;
      sim_->post(s);
      break;
    }
    case Cmd::kNewNoise:
      sim_->post(sim(SimOp::kNewNoise));
      break;
    case Cmd::kBlank: {
      // One large canvas: a digit of your own is drawn on one, not eight small ones.
      if (canvas_batch_ == 0) canvas_batch_ = st_.noise.batch;
      st_.noise.batch = 1;
      st_.view.selected = 0;
      SimCommand s = sim(SimOp::kBlank);
      s.n = 1;
      sim_->post(s);
      break;
    }
    case Cmd::kAddNoise:
      // Only a drawing becomes a target: empty canvases are not scored against empty targets.
      RRCNN_CHECK(st_.snap.has_target || drawing_present(),
                  "draw a digit on the canvas first (left drag), then Add noise");
      sim_->post(sim(SimOp::kAddNoise));
      break;
    case Cmd::kBrush: {
      ++strokes_applied_;
      SimCommand s = sim(SimOp::kBrush);
      s.stroke = c.stroke;
      sim_->post(s);
      break;
    }
    case Cmd::kSetNoise:
      apply_noise(c.noise);
      break;
    case Cmd::kSetBrush:
      st_.brush = c.brush;
      st_.brush.radius = std::clamp(st_.brush.radius, 0.5f, 12.0f);
      break;
    case Cmd::kSetView:
      st_.view = c.view;
      st_.view.channel =
          std::clamp(st_.view.channel, 0, std::max(st_.model.config.channels - 1, 0));
      st_.view.selected = std::clamp(st_.view.selected, 0, std::max(st_.noise.batch - 1, 0));
      break;
    case Cmd::kTrainStart:
    case Cmd::kTrainPause:
    case Cmd::kTrainResume:
    case Cmd::kTrainStop:
    case Cmd::kSetTrain:
    case Cmd::kResetWeights:
    case Cmd::kReseedWeights:
      apply_training(c);
      break;
    case Cmd::kExportLoss:
      export_loss(c);
      break;
    case Cmd::kSaveCheckpoint:
      save_command(c);
      break;
    case Cmd::kLoadCheckpoint:
      load_checkpoint_from(resolve_input(c));
      break;
    case Cmd::kOpenPath:
      open_path(resolve_input(c));
      break;
    case Cmd::kScreenshot:
      screenshot_command(c);
      break;
    case Cmd::kRecordGif:
      start_gif(c);
      break;
    case Cmd::kSetCaptions:
      st_.captions = c.flag;
      break;
    case Cmd::kBrowse:
      open_browser(BrowsePurpose(c.n));
      break;
    case Cmd::kPromptAnswer:
      answer_prompt(c.n);
      break;
    case Cmd::kStopGif:
      sim_->post(sim(SimOp::kRecordStop));
      break;
    case Cmd::kShowError:
      error(c.path);
      break;
    case Cmd::kDismissError:
      if (!st_.errors.empty()) st_.errors.erase(st_.errors.begin());
      break;
    case Cmd::kResetLayout:
      ui_.reset_layout = true;
      break;
    case Cmd::kKeys: {
      KeyChord k;
      RRCNN_CHECK(parse_key_chord(c.path, &k), "unknown key '" << c.path << "'");
      platform_.inject_keys(tap_events(k));
      break;
    }
    case Cmd::kHover:
      ui_.script_hover_sample = c.n;
      ui_.script_hover_x = c.stroke.x0;
      ui_.script_hover_y = c.stroke.y0;
      break;
    case Cmd::kWindowSize:
      platform_.set_window_size(int(c.stroke.x0), int(c.stroke.y0));
      break;
    case Cmd::kPlacePanel:
      ui_.forced_panel = c.n;
      ui_.forced_rect = ImVec4(c.stroke.x0, c.stroke.y0, c.stroke.x1, c.stroke.y1);
      break;
    case Cmd::kCloseWindow:
      platform_.request_close();
      break;
    case Cmd::kSwitchModel: {
      leave_canvas();  // the new model at work on digits, not on an empty canvas
      load_checkpoint_from(c.path);  // throws when it cannot load: nothing below happens then
      // Someone who picks another model wants to see it at work: the same noisy digits from
      // step 0, playing (the other model's state would show neither model's behaviour).
      sim_->post(sim(SimOp::kReset));
      st_.pacing.playing = true;
      sim_->set_pacing(st_.pacing);
      notice("switched to " + st_.model.name + " (" + recipe_name(st_.model.recipe) + " recipe)");
      break;
    }
    case Cmd::kUsePreset:
      leave_canvas();
      use_preset(c.path);
      break;
    case Cmd::kType:
      platform_.inject_text(c.path);
      break;
    case Cmd::kQuit:
      quit_confirmed_ = true;  // past the unsaved-weights question
      platform_.request_close();
      break;
  }
}

void Studio::answer_prompt(int answer) {
  const Prompt p = st_.prompt;
  st_.prompt = Prompt();
  if (p.kind == Prompt::kReplace && answer == 1) apply(p.pending);
  if (p.kind == Prompt::kTargetReached && answer == 1) {
    Command more{Cmd::kSetTrain};
    more.train = st_.train;
    more.train.target_steps = int(std::min<int64_t>(adam_.step + p.extend, 1 << 30));
    apply(more);
    apply(p.pending);
  }
  if (p.kind == Prompt::kDrawing && answer == 2) {
    Command go = p.pending;
    go.drawing_ok = true;
    apply(go);
  }
  if (p.kind == Prompt::kUnsaved && answer == 2) apply(p.pending);
  if (p.kind == Prompt::kDiverged && answer == 1) {
    Command lower{Cmd::kSetTrain};
    lower.train = st_.train;
    lower.train.lr_start /= 10;
    lower.train.lr_end /= 10;
    apply(lower);
    apply(Command{Cmd::kTrainResume});
  }
  if (p.kind == Prompt::kUnsaved && answer == 1) {
    // Save to the file on screen (or, without one, through the browser), then go on.
    after_save_ = std::make_unique<Command>(p.pending);
    Command save{Cmd::kSaveCheckpoint};
    save.path = ui_.ckpt_path;
    save.flag = ui_.save_optimizer;
    apply(save);
  }
}

void Studio::apply_noise(const NoiseSettings& n) {
  const NoiseSettings old = st_.noise;
  st_.noise = n;
  st_.noise.alpha = std::clamp(n.alpha, 0.0f, 1.0f);
  st_.noise.dropout = std::clamp(n.dropout, 0.0f, 0.95f);
  st_.noise.batch = std::clamp(n.batch, 1, 64);
  if (old.random_alpha != n.random_alpha || (!n.random_alpha && old.alpha != st_.noise.alpha)) {
    SimCommand s = sim(SimOp::kSetNoise);
    s.value = n.random_alpha ? -1.0f : st_.noise.alpha;
    sim_->post(s);
  }
  if (old.dropout != st_.noise.dropout) {
    SimCommand s = sim(SimOp::kSetDropout);
    s.value = st_.noise.dropout;
    sim_->post(s);
  }
  if (old.seed != n.seed) {
    SimCommand s = sim(SimOp::kSetSeed);
    s.seed = n.seed;
    sim_->post(s);
  }
  if (old.batch != st_.noise.batch) {
    canvas_batch_ = 0;  // the digits slider leaves the canvas
    SimCommand s = sim(SimOp::kSetBatch);
    s.n = st_.noise.batch;
    sim_->post(s);
    st_.view.selected = std::min(st_.view.selected, st_.noise.batch - 1);
  }
}

void Studio::apply_training(const Command& c) {
  const TrainPhase phase = trainer_->status().phase;
  switch (c.kind) {
    case Cmd::kTrainStart: {
      if (adam_.step >= st_.train.target_steps) {
        // Nothing to train: say so and offer more steps in one click, instead of a run that
        // "finishes" before its first step.
        const int n = extension_steps(st_.train_step_seconds);
        st_.prompt = Prompt();
        st_.prompt.kind = Prompt::kTargetReached;
        st_.prompt.title = "Target reached";
        st_.prompt.extend = n;
        st_.prompt.text = "These weights are at optimiser step " + std::to_string(adam_.step) +
                          ", the training target (" + std::to_string(st_.train.target_steps) +
                          " steps): there is nothing left to train. Raise the target by " +
                          std::to_string(n) + " steps and train on?";
        st_.prompt.pending = c;
        break;
      }
      trainer_->start(st_.model.config, params_, adam_, train_data_, st_.train, run_files());
      remember_run(trainer_->log_path());
      if (run_batch_ != st_.train.batch) run_history_.clear();  // another batch, another rate
      run_batch_ = st_.train.batch;
      // The live view shows the weights as they train: it keeps playing, rollout after rollout
      // (a model that stops at its horizon would otherwise sit still through the run).
      if (!st_.pacing.endless && !st_.pacing.loop) {
        st_.pacing.loop = true;
        loop_for_training_ = true;
      }
      st_.pacing.playing = true;
      sim_->set_pacing(st_.pacing);
      if (st_.notice.find("press Start") != std::string::npos) st_.notice.clear();
      break;
    }
    case Cmd::kTrainPause:
      trainer_->pause();
      break;
    case Cmd::kTrainResume:
      trainer_->resume();
      break;
    case Cmd::kTrainStop:
      trainer_->stop();
      break;
    case Cmd::kSetTrain: {
      TrainSettings t = c.train;
      t.batch = std::clamp(t.batch, 1, 4096);
      t.target_steps = std::max(t.target_steps, 1);
      t.lr_start = std::clamp(t.lr_start, 1e-8f, 1.0f);
      t.lr_end = std::clamp(t.lr_end, 1e-9f, 1.0f);
      t.lr_decay_steps = std::max(t.lr_decay_steps, 0);
      trainer_->set_settings(t);  // throws (nothing changes) when the running pool cannot take it
      st_.train = t;
      break;
    }
    case Cmd::kResetWeights:
    case Cmd::kReseedWeights: {
      RRCNN_CHECK(!active(phase), "stop training before resetting the weights");
      const uint64_t seed = st_.model.init_seed + (c.kind == Cmd::kReseedWeights ? 1 : 0);
      set_weights(st_.model.config, init_params(ParamLayout(st_.model.config), seed), AdamState{},
                  "fresh parameters (init seed " + std::to_string(seed) + ")", true);
      st_.model.init_seed = seed;
      st_.train.seed = seed;
      notice("weights reset (init seed " + std::to_string(seed) + ")");
      break;
    }
    default:
      break;
  }
}

void Studio::use_preset(const std::string& preset) {
  RRCNN_CHECK(!active(trainer_->status().phase), "stop training before switching the model");
  const ModelConfig config = model_preset(preset);
  set_weights(config, init_params(ParamLayout(config), 0), AdamState{},
              "fresh parameters (init seed 0)", true);
  st_.model.init_seed = 0;
  st_.train.seed = 0;
  st_.ckpt_path.clear();
  ui_.ckpt_path[0] = 0;
  notice("fresh " + preset + " model: press Start (T) to train it");
}

void Studio::describe_session_model() {
  ModelInfo& m = st_.model;
  const int64_t trained = m.optimizer_step - m.loaded_step;
  if (trained <= 0) return;
  const std::string steps = std::to_string(m.optimizer_step) + " steps";
  if (m.fresh && !m.saved_here) {
    m.name = "new " + m.config.preset + " model";
    m.description = "Trained in this session from fresh " + size_name(m.config.preset) +
                    " weights (" + steps + "); not saved yet: Ctrl+S keeps it.";
  } else if (m.fresh || m.from_session) {
    m.description = "Trained in this session (" + size_name(m.config.preset) + ", " + steps +
                    ")" + (m.unsaved ? "; the latest steps are not saved." : ", saved.");
  } else {
    m.description = m.file_description + " Trained on here: " +
                    std::to_string(trained) + " more steps (now " + steps + ").";
  }
}

void Studio::set_weights(const ModelConfig& config, std::vector<float> params, AdamState adam,
                         const std::string& source, bool fresh, const std::string& recipe,
                         const std::string& description) {
  const bool reshape = sim_ && !same_shape(config, st_.model.config);
  params_ = std::move(params);
  adam_ = std::move(adam);
  const ParamLayout layout(config);
  st_.model.config = config;
  st_.model.source = source;
  st_.model.recipe = recipe.empty() ? "seed" : recipe;
  st_.model.description =
      fresh ? "Untrained weights (" + config.preset + " size): train them, or pick a model above."
            : !description.empty() ? description
                                   : recipe_description(st_.model.recipe, config.rollout_steps);
  st_.model.file_description = fresh ? "" : st_.model.description;
  st_.model.name = fresh ? "untrained " + config.preset
                         : std::filesystem::path(source).stem().string();
  st_.model.fresh = fresh;
  st_.model.optimizer_step = adam_.step;
  st_.model.unsaved = false;
  st_.model.saved_step = adam_.step;
  st_.model.loaded_step = adam_.step;
  st_.model.saved_here = false;
  st_.model.from_session = false;
  st_.model.param_count = layout.total();
  st_.model.trained_count = layout.trained_count();
  st_.view.channel = std::min(st_.view.channel, config.channels - 1);
  // A model from a file (or of another size) gets its defaults from its recipe (the checkpoint's
  // metadata, so a new default model needs no code): a persistent one runs on without end;
  // any other stops at the horizon it was trained for, where it is at its best (past it the
  // reference recipe drifts; the live panel says so there); and the dropout it was trained with.
  if (!sim_ || reshape || !fresh) {
    st_.pacing.rollout_length = config.rollout_steps;
    st_.pacing.endless = recipe_runs_endless(st_.model.recipe);
    if (sim_ && !reshape) sim_->set_pacing(st_.pacing);
  }
  if (!sim_ || reshape) st_.noise.dropout = config.dropout_rate;
  st_.history.clear();
  begin_weights_log("");  // a loaded checkpoint's log is read after (load_loss_log)
  if (!fresh) st_.train.recipe.pool = st_.model.recipe == "pool";  // train on as it was trained
  run_history_.clear();
  history_time_offset_ = 0;
  st_.loss_log.clear();
  history_seen_ = 0;
  if (trainer_) {
    trainer_->forget_run(adam_.step);
    st_.train_status = trainer_->status();
  }
  if (reshape) {
    start_live_view();  // a different model needs a backend of its own size
  } else if (sim_) {
    SimCommand s = sim(SimOp::kSetParams);
    s.params = std::make_shared<const std::vector<float>>(params_);
    // What a recording writes for these weights (none: not replayable, e.g. other init seeds).
    if (!fresh) s.text = "load " + source;
    else if (source.rfind("fresh parameters (init seed 0)", 0) == 0)
      s.text = "preset " + config.preset;
    sim_->post(s);
  }
}

}  // namespace rrcnn
