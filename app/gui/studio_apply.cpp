// What each command does (see commands.h). Runs after the frame is drawn; an exception from
// any of these becomes an error popup and the session goes on.
#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/error.h"
#include "core/init.h"
#include "gui/files/file_kind.h"
#include "gui/studio.h"
#include "gui/files/unsaved_guard.h"

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

void Studio::apply(const Command& c) {
  if (ask_before_discarding(c)) return;
  if (apply_timeline(c)) return;  // studio_timeline.cpp
  switch (c.kind) {
    case Cmd::kTimelineSeek:
    case Cmd::kTimelineFork:
    case Cmd::kTimelineKeep:
    case Cmd::kSetTimeline:
    case Cmd::kMcStart:
    case Cmd::kMcCancel:
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
      SimCommand s = sim(SimOp::kNewDigits);
      s.flag = c.flag;
      sim_->post(s);
      break;
    }
    case Cmd::kNewNoise:
      sim_->post(sim(SimOp::kNewNoise));
      break;
    case Cmd::kBlank:
      sim_->post(sim(SimOp::kBlank));
      break;
    case Cmd::kAddNoise:
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
      load_checkpoint_from(c.path);  // throws when it cannot load: nothing below happens then
      // Someone who picks another model wants to see it at work: the same noisy digits from
      // step 0, playing (the other model's state would show neither model's behaviour).
      sim_->post(sim(SimOp::kReset));
      st_.pacing.playing = true;
      sim_->set_pacing(st_.pacing);
      notice("switched to " + st_.model.name + " (" + st_.model.recipe + " recipe)");
      break;
    }
    case Cmd::kUsePreset:
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
    SimCommand s = sim(SimOp::kSetBatch);
    s.n = st_.noise.batch;
    sim_->post(s);
    st_.view.selected = std::min(st_.view.selected, st_.noise.batch - 1);
  }
}

void Studio::apply_training(const Command& c) {
  const TrainPhase phase = trainer_->status().phase;
  switch (c.kind) {
    case Cmd::kTrainStart:
      trainer_->start(st_.model.config, params_, adam_, train_data_, st_.train);
      break;
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
      st_.train = t;
      trainer_->set_settings(t);
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

void Studio::set_weights(const ModelConfig& config, std::vector<float> params, AdamState adam,
                         const std::string& source, bool fresh, const std::string& recipe) {
  const bool reshape = sim_ && !same_shape(config, st_.model.config);
  params_ = std::move(params);
  adam_ = std::move(adam);
  const ParamLayout layout(config);
  st_.model.config = config;
  st_.model.source = source;
  st_.model.recipe = recipe.empty() ? "seed" : recipe;
  st_.model.description =
      fresh ? "Untrained weights (" + config.preset + " size): train them, or pick a model above."
            : recipe_description(st_.model.recipe, config.rollout_steps);
  st_.model.name = fresh ? "untrained " + config.preset
                         : std::filesystem::path(source).stem().string();
  st_.model.fresh = fresh;
  st_.model.optimizer_step = adam_.step;
  st_.model.unsaved = false;
  st_.model.saved_step = adam_.step;
  st_.model.param_count = layout.total();
  st_.model.trained_count = layout.trained_count();
  st_.view.channel = std::min(st_.view.channel, config.channels - 1);
  // A model from a file (or of another size) gets its defaults: twice the training horizon, as
  // the reference shows (128 for the seed model), or no end at all for a persistent model; and
  // the dropout it was trained with.
  if (!sim_ || reshape || !fresh) {
    st_.pacing.rollout_length = 2 * config.rollout_steps;
    st_.pacing.endless = recipe_runs_endless(st_.model.recipe);
    if (sim_ && !reshape) sim_->set_pacing(st_.pacing);
  }
  if (!sim_ || reshape) st_.noise.dropout = config.dropout_rate;
  st_.history.clear();
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
    sim_->post(s);
  }
}

}  // namespace rrcnn
