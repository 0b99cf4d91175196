// The studio session: start-up, the frame loop and the per-frame gathering of the workers'
// news (see studio.h). What each command does is in studio_apply.cpp.
#include "gui/studio.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include "core/error.h"
#include "core/init.h"
#include "core/parallel.h"
#include "gpu/backend_factory.h"
#include "gpu/state_exchange.h"
#include "gui/files/unsaved_guard.h"
#include "gui/training/train_advice.h"

namespace rrcnn {
namespace {}  // namespace

Studio::Studio(const GuiOptions& opts, Platform& platform, const std::string& config_dir)
    : opts_(opts), platform_(platform), config_dir_(config_dir) {
  if (opts.threads > 0) set_num_threads(opts.threads);
  const char* trace = std::getenv("RRCNN_GUI_TRACE");
  trace_ = trace && *trace && std::string(trace) != "0";
  platform.set_trace(trace_);
  backend_kind_ = parse_backend_kind(opts.backend);
  if (!config_dir_.empty()) recent_.load(config_dir_ + "/recent.txt");
  st_.recent = recent_.items();
  st_.noise.batch = opts.batch;
  const OutputEnv env = output_env_from_process();
  st_.home = env.home;
  st_.out_dirs = output_dirs(env, opts.output_dir);
  // Error details: next to the layout when the config folder was given (tests), else the XDG
  // state folder.
  const char* state = std::getenv("XDG_STATE_HOME");
  if (!opts.config_dir.empty())
    st_.log_path = config_dir + "/studio.log";
  else if (state && *state)
    st_.log_path = std::string(state) + "/rrcnn-studio/studio.log";
  else if (!env.home.empty())
    st_.log_path = env.home + "/.local/state/rrcnn-studio/studio.log";
  assets_dir_ = std::filesystem::path(default_checkpoint_path()).parent_path().string();
  std::vector<std::string> skipped;
  st_.models = list_shipped_models(
      assets_dir_, std::filesystem::path(default_checkpoint_path()).filename().string(), &skipped);
  for (const std::string& s : skipped) append_log(st_.log_path, "shipped model left out: " + s);

  const std::string dir = opts.data.empty() ? default_data_dir() : opts.data;
  DataSplit split = load_data_dir(dir);
  view_data_ = std::make_shared<const Dataset>(std::move(split.test));
  train_data_ = std::make_shared<const Dataset>(std::move(split.train));
  st_.data_source = dir;

  // Whoever opens the studio comes to watch noisy digits clean themselves up, so it plays at
  // once; scripted runs (tests, screenshots) start paused and count steps from their commands.
  st_.pacing.playing = !opts.paused && opts.script.empty();
  load_initial_model();
  start_live_view();
  trainer_ = std::make_unique<Trainer>(
      [kind = backend_kind_](const ModelConfig& c) { return make_backend(kind, c, nullptr); });
  trainer_->forget_run(adam_.step);  // the panel starts at the loaded model's step
  st_.train_status = trainer_->status();
  probe_ = std::make_unique<TrainProbe>(
      [kind = backend_kind_](const ModelConfig& c) { return make_backend(kind, c, nullptr); });
  mc_ = std::make_unique<McWorker>(
      [kind = backend_kind_](const ModelConfig& c) { return make_backend(kind, c, nullptr); });
  renderer_.init();
  renderer_ready_ = true;
  st_.status.display_path = renderer_.display_path();
  st_.status.gl_renderer = platform.gl_renderer();
  if (!opts.script.empty()) script_ = std::make_unique<ScriptRunner>(load_script(opts.script));
  if (!state_dir().empty()) recent_runs_.load(recent_runs_file(state_dir()));
  remember_run("");  // the training panel's list of recent runs
  if (!opts.session.empty()) {
    // The file's flags came in through the command line already (session_file.h), where later
    // flags override them: the model, data and digits stay as they are now.
    StudioSettings s = from_session(load_session(opts.session));
    const StudioSettings now = current_settings();
    s.checkpoint = now.checkpoint;
    s.preset = now.preset;
    s.data = now.data;
    s.noise.batch = now.noise.batch;
    s.backend = now.backend;
    s.threads = now.threads;
    if (opts.paused) s.pacing.playing = false;
    apply_settings(s);
    st_.session.file = opts.session;
  }
  if (!opts.record.empty()) start_recording(std::filesystem::absolute(opts.record).lexically_normal().string());
}

Studio::~Studio() {
  save_layout();
  trainer_.reset();
  probe_.reset();  // stops and waits for the step in flight
  new_model_probe_.reset();
  sim_.reset();
  mc_.reset();
  if (renderer_ready_) timeline_tiles_.destroy();
  if (renderer_ready_) ab_tiles_.destroy();
  if (renderer_ready_) renderer_.destroy();  // GL objects go before the context does
  if (!config_dir_.empty()) recent_.save(config_dir_ + "/recent.txt");
}

void Studio::load_initial_model() {
  const std::string preset = opts_.preset.empty() ? "seed" : opts_.preset;
  if (!opts_.ckpt.empty()) {
    const std::string path = std::filesystem::absolute(opts_.ckpt).lexically_normal().string();
    Checkpoint ck = load_checkpoint(path);  // the user asked for it: failing is fatal
    set_weights(ck.config, std::move(ck.params), std::move(ck.adam), path, false, ck.recipe,
                checkpoint_description(ck));
    st_.train.seed = ck.seed;
    st_.ckpt_path = path;
    remember(path);
    load_loss_log(path);
    return;
  }
  const std::string def =
      std::filesystem::path(default_checkpoint_path()).lexically_normal().string();
  std::error_code ec;
  if (!def.empty() && std::filesystem::exists(def, ec)) {
    try {
      Checkpoint ck = load_checkpoint(def);
      if (opts_.preset.empty() || opts_.preset == ck.config.preset) {
        set_weights(ck.config, std::move(ck.params), std::move(ck.adam), def, false, ck.recipe,
                checkpoint_description(ck));
        st_.train.seed = ck.seed;
        st_.ckpt_path = def;  // Save asks for a file: the shipped weights are never overwritten
        load_loss_log(def);
        return;
      }
    } catch (const std::exception& e) {
      error(std::string("the pretrained checkpoint could not be loaded; starting untrained.\n") +
            e.what());
    }
  }
  const ModelConfig config = model_preset(preset);
  // Fresh weights of the asked size (--preset), or because the default checkpoint is missing:
  // say which, never "no checkpoint" about a file that is there.
  const bool missing = def.empty() || !std::filesystem::exists(def, ec);
  set_weights(config, init_params(ParamLayout(config), 0), AdamState{},
              missing ? "fresh parameters (init seed 0): no checkpoint at " +
                            (def.empty() ? std::string("?") : def)
                      : "fresh parameters (init seed 0)",
              true);
  st_.ckpt_path = "";
}

void Studio::start_live_view() {
  std::string note;
  std::unique_ptr<Backend> backend = make_backend(backend_kind_, st_.model.config, &note);
  backend->set_params(params_);
  backend->set_live_dropout(std::min(st_.noise.dropout, 0.95f));
  if (sim_ && st_.session.recording) {  // a session recording keeps the old worker's last lines
    sim_->post(SimCommand{SimOp::kJournal});  // (stop: its last steps)
    sim_->sync();
    poll_recording();
  }
  sim_.reset();
  // CUDA-GL interop when the live backend is CUDA: its worker publishes device snapshots.
  std::shared_ptr<StateExchange> exchange;
  std::string why_not;
  try {
    exchange = make_state_exchange(*backend);
  } catch (const std::exception& e) {
    why_not = e.what();
  }
  renderer_.state_upload().attach(exchange, why_not);
  LiveSim::PublishHook hook;
  if (exchange) hook = [exchange](const Backend& b) { exchange->publish(b); };
  sim_ = std::make_unique<LiveSim>(std::move(backend), view_data_, st_.noise.batch, st_.noise.seed,
                                   std::move(hook));
  sim_->set_pacing(st_.pacing);
  {  // the timeline's settings outlive the worker (a model switch starts a new one)
    SimCommand t{SimOp::kSetTimeline};
    t.timeline = st_.tl.view.settings;
    sim_->post(t);
    st_.tl.shown = -1;
  }
  if (!st_.noise.random_alpha) {
    SimCommand c{SimOp::kSetNoise};
    c.value = st_.noise.alpha;
    sim_->post(c);
  }
  st_.status.backend = sim_->backend_name();
  st_.status.device = sim_->device_name();
  st_.status.backend_note = note;
  if (st_.session.recording) begin_journal();  // ... and goes on with the new one
  st_.snap = SimSnapshot{};
  sim_->fetch(&st_.snap);
  ab_attach();  // A/B goes on with a new live view (a model of another size)
}

void Studio::poll_workers() {
  fetch_live_snapshot();
  st_.pacing = sim_->pacing();  // the worker pauses itself at the end of a rollout
  for (const std::string& e : sim_->take_errors()) error(e);
  SimRecording rec;
  const bool finished = sim_->take_recording(&rec);
  st_.gif_frames = sim_->recording_frames();
  // Recording from the moment G posts the start until the worker hands the frames back.
  if (finished) {
    st_.gif_recording = false;
    finish_gif(rec);
  } else if (st_.gif_frames > 0) {
    st_.gif_recording = true;
  }

  trainer_->poll();
  const TrainPhase before = st_.train_status.phase;
  st_.train_status = trainer_->status();
  const auto busy = [](TrainPhase p) {
    return p == TrainPhase::kRunning || p == TrainPhase::kPaused || p == TrainPhase::kStopping;
  };
  if (loop_for_training_ && busy(before) && !busy(st_.train_status.phase)) {
    loop_for_training_ = false;  // the run is over: the live view stops at its end again
    SimPacing p = sim_->pacing();
    p.loop = false;
    st_.pacing = p;
    sim_->set_pacing(p);
  }
  std::vector<TrainPoint> points;
  history_seen_ = trainer_->copy_points(history_seen_, &points);
  for (TrainPoint p : points) {
    run_history_.add(p);  // this session's steps alone: the rate and ETA on this machine
    p.time_s += history_time_offset_;  // after the log's points, on one clock
    st_.history.add(p);
  }
  TrainSnapshotParams latest;
  if (trainer_->take_params(params_version_, &latest)) {
    params_version_ = latest.version;
    params_ = latest.params;
    adam_ = latest.adam;
    st_.model.optimizer_step = adam_.step;
    // Dirty only when steps were taken: a run that ended at once (target reached) publishes the
    // same weights back.
    st_.model.unsaved = weights_unsaved(adam_.step, st_.model.saved_step);
    describe_session_model();
    SimCommand c{SimOp::kSetParams};
    c.params = std::make_shared<const std::vector<float>>(params_);
    sim_->post(c);
  }
  // The expected duration: a few steps measured while idle; the run's own rate as soon as it
  // has one, and from then on (after the run too) for these weights and this batch.
  const TrainPhase ph = st_.train_status.phase;
  st_.train_rate = run_history_.steps_per_second();
  st_.train_eta = run_history_.eta_seconds(st_.train.target_steps);
  const bool run_rate = st_.train_rate > 0 && run_batch_ == st_.train.batch;
  if (!run_rate && (ph == TrainPhase::kIdle || ph == TrainPhase::kFinished) &&
      st_.view.show_training)
    probe_->request(st_.model.config, params_, train_data_, st_.train.batch);
  const TrainProbe::Timing t = probe_->timing(st_.model.config, st_.train.batch);
  st_.train_step_from_run = run_rate;
  st_.train_step_seconds = run_rate ? 1.0 / st_.train_rate : t.median;
  st_.train_step_lo = run_rate ? 0 : t.lo;
  st_.train_step_hi = run_rate ? 0 : t.hi;
  st_.train_probe_busy = probe_->busy();
  poll_new_model();
  const Divergence& d = st_.train_status.divergence;
  if (d.count != divergences_seen_) {
    divergences_seen_ = d.count;
    st_.prompt.kind = Prompt::kDiverged;
    st_.prompt.title = "Training diverged";
    st_.prompt.text = divergence_advice(d.step, d.what, d.lr);
    append_log(st_.log_path, "training diverged at step " + std::to_string(d.step) + ": " + d.what);
  }
  if (before != TrainPhase::kFinished && st_.train_status.phase == TrainPhase::kFinished &&
      st_.train_status.text.find("error") != std::string::npos)
    error("training stopped with an error: " + st_.train_status.text);
  poll_timeline();
  poll_ab();
}

void Studio::draw_ui(Commands& out) {
  draw_menu_bar(st_, ui_, out);
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  begin_layout();
  next_panel(kControlsPanel);
  draw_controls_panel(st_, ui_, out);
  next_panel(kLivePanel);
  CellTextures live_tex = renderer_.textures();  // the 4th tile may show a timeline view
  if (st_.tl.tile_texture) live_tex.inspect = st_.tl.tile_texture;
  draw_live_panel(st_, live_tex, ui_, out);
  next_panel(kInspectorPanel);
  draw_inspector_panel(st_, renderer_.textures(), renderer_.channel_ranges(), ui_, out);
  next_panel(kTrainingPanel);
  draw_training_panel(st_, ui_, out);
  draw_new_model_dialog(st_, ui_, out);
  end_layout();
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.45f),
                          ImGuiCond_FirstUseEver, ImVec2(0.5f, 0.5f));
  draw_help_window(st_, out);
  draw_status_bar(st_, ui_);
  draw_notice_toast(st_, ui_);
  st_.toast_shown = ui_.toast_shown;
  draw_error_popup(st_, ui_, out);
  draw_file_browser(st_, ui_, out);
  draw_prompt(st_, out);
  draw_command_dialog(st_, out);
}

CaptionInfo Studio::caption_info() const {
  CaptionInfo c;
  c.model = st_.model.name;
  c.recipe = st_.model.fresh ? "" : recipe_name(st_.model.recipe);
  c.trained_steps = st_.model.optimizer_step;
  c.step = st_.snap.step;
  c.rollout = st_.pacing.endless ? 0 : st_.pacing.rollout_length;
  c.random_noise = st_.noise.random_alpha;
  c.alpha = st_.noise.alpha;
  c.dropout = st_.noise.dropout;
  return c;
}

void Studio::capture_after_render() {
  const int w = platform_.framebuffer_width(), h = platform_.framebuffer_height();
  Framebuffer fb = read_framebuffer(w, h);
  if (!pending_shot_.empty()) {
    try {
      const std::string caption = st_.captions ? picture_caption(caption_info()) : "";
      const RgbImage img = save_png(pending_shot_, fb, caption, caption_font());
      notice("screenshot saved to " + pending_shot_);
      st_.written.push_back(pending_shot_);
      exports_.push_back({pending_shot_, caption, img.width, img.height});
    } catch (const std::exception& e) {
      error(e.what());
    }
    pending_shot_.clear();
  }
  // Window units -> framebuffer pixels (they differ on HiDPI displays with a scaled framebuffer).
  const ImVec2 ds = ImGui::GetIO().DisplaySize;
  const float sx = ds.x > 0 ? float(w) / ds.x : 1.0f, sy = ds.y > 0 ? float(h) / ds.y : 1.0f;
  for (const ProbeRequest& p : probe_requests_) {
    ProbeResult r;
    r.at = p;
    r.step = st_.snap.step;
    const SimSnapshot& s = st_.snap;
    if (p.sample >= 0 && p.sample < s.batch && p.x >= 0 && p.x < s.width && p.y >= 0 &&
        p.y < s.height) {
      r.value = s.state[((size_t(p.sample) * s.height + p.y) * s.width + p.x) * s.channels +
                        s.channels - 1];
      if (ui_.live.valid && size_t(p.sample) < ui_.live.live_origin.size()) {
        const ImVec2 o = ui_.live.live_origin[size_t(p.sample)];
        const float z = ui_.live.zoom;
        fb.pixel(int((o.x + (p.x + 0.5f) * z + p.dx) * sx), int((o.y + (p.y + 0.5f) * z + p.dy) * sy),
                 r.rgb);
        r.on_screen = true;
      }
    }
    probe_results_.push_back(r);
  }
  probe_requests_.clear();
  last_frame_ = std::move(fb);
}

}  // namespace rrcnn
