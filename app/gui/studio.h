// The studio session: owns the live view's worker, the trainer, the cell renderer, the state the
// panels read and the script of a scripted run, and runs the frame loop:
//   events -> script -> workers' news -> textures -> panels (commands) -> render -> capture ->
//   swap -> apply commands.
// Panels live in panel_*.cpp, command handling in studio_apply.cpp, files in studio_files.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/backend.h"
#include "core/checkpoint.h"
#include "core/dataset.h"
#include "gui/ab/ab_tiles.h"
#include "gui/rendering/capture.h"
#include "gui/rendering/cell_renderer.h"
#include "gui/live/live_sim.h"
#include "gui/live/mc_worker.h"
#include "gui/rendering/timeline_tiles.h"
#include "gui/options.h"
#include "gui/panels/panel_layout.h"
#include "gui/panels/panels.h"
#include "gui/platform.h"
#include "gui/live/sample_stats.h"
#include "gui/scripting/script_runner.h"
#include "gui/studio_state.h"
#include "gui/training/train_probe.h"
#include "gui/training/trainer.h"
#include "gui/files/user_files.h"

namespace rrcnn {

class Studio : public ScriptHost {
 public:
  // Loads data and weights and starts the workers; throws rrcnn::Error when the session cannot
  // start (unreadable --ckpt or --data, unavailable --backend cuda, a shader that fails).
  Studio(const GuiOptions& opts, Platform& platform, const std::string& config_dir);
  ~Studio() override;
  int run();  // the frame loop; returns the exit code

  void sync_live() override { sim_->sync(); }

 private:
  // studio.cpp
  void load_initial_model();
  void start_live_view();
  void poll_workers();
  void draw_ui(Commands& out);
  void capture_after_render();
  // studio_timeline.cpp: the timeline, error curves and dropout uncertainty
  void fetch_live_snapshot();  // into st_.snap, or the step the timeline shows
  void poll_timeline();
  bool apply_timeline(const Command& c);  // true when c was the timeline's
  // ab/studio_ab.cpp: A/B, a second model (B) beside the session's (A)
  void apply_ab(const Command& c);
  void ab_load(const std::string& path);
  void ab_snapshot();
  void ab_swap();
  void ab_off();
  void ab_attach();  // hands B to the live worker (again, after a new one started)
  void poll_ab();
  AbModel session_as_ab() const;
  std::string ab_report() const;  // the report's "ab" field (studio_report.cpp)
  // studio_layout.cpp
  Rect work_area() const;
  void begin_layout();              // before the panels: decides whether to place them
  void next_panel(PanelId p);  // before a panel's Begin: its place, when placing
  void end_layout();                // after the panels: learns what the user moved
  bool layout_ok() const;           // the panels as they are now are usable
  PanelRectSet actual_panels(PanelShown* shown) const;
  void save_layout();
  // studio_loop.cpp: how long the next frame may wait for events (0: draw at once).
  double frame_wait(std::chrono::steady_clock::time_point now);
  // studio_report.cpp
  void finish_scripted_run();
  void write_report() const;
  // studio_apply.cpp
  void apply(const Command& c);
  void apply_noise(const NoiseSettings& n);
  void apply_training(const Command& c);
  void use_preset(const std::string& preset);
  void set_weights(const ModelConfig& config, std::vector<float> params, AdamState adam,
                   const std::string& source, bool fresh, const std::string& recipe = "seed",
                   const std::string& description = "");
  CaptionInfo caption_info() const;
  // The model's name and description once this session has trained it (never stale:
  // "untrained" after a run, say).
  void describe_session_model();
  // studio_runs.cpp: models and runs of your own (New model, recipes' logs, overlays)
  bool apply_runs(const Command& c);  // true when c was one of these
  RunFiles run_files();               // the log (and pool) a training start uses
  void keep_log_beside(const std::string& ckpt);  // after a save: the run's log beside it
  void begin_weights_log(const std::string& ckpt);  // other weights: their log's history
  void remember_run(const std::string& log);
  void poll_new_model();
  std::string state_dir() const;
  // studio_session.cpp: session files, Copy as command, recording a session as a script
  bool apply_session(const Command& c);  // true when c was a session command
  StudioSettings current_settings() const;
  void apply_settings(const StudioSettings& s);
  void apply_ab_settings(const std::string& ab_json);  // the session file's "ab" object
  void open_session_browser(BrowsePurpose purpose);
  void update_session_commands();  // st_.session.commands and st_.command_line
  void start_recording(const std::string& path);
  void stop_recording();
  void poll_recording();     // the live view's journal into the recording
  void begin_journal();      // (again) on the live view running now
  std::string state_hash();  // of the live state once every command is applied (reports)
  // studio_files.cpp
  void save_command(const Command& c);
  void save_checkpoint_to(const std::string& path, bool with_optimizer);
  void load_checkpoint_from(const std::string& path);
  void open_path(const std::string& path);
  // The loss curve from the training log beside a checkpoint, when there is one.
  void load_loss_log(const std::string& ckpt);
  void use_data(DataSplit split, const std::string& source);
  void screenshot_command(const Command& c);
  void export_loss(const Command& c);
  void start_gif(const Command& c);
  void finish_gif(const SimRecording& rec);
  void open_browser(BrowsePurpose purpose);
  // The command's path made absolute: a script's against the working directory, the user's
  // against `dir` (the studio's output folder).
  std::string resolve(const Command& c, const std::string& dir) const;
  // A path to read, made absolute: against the working directory, or (typed by the user, not
  // there) against the studio's data folder.
  std::string resolve_input(const Command& c) const;
  // True when writing `path` replaces nothing the user did not agree to; otherwise asks (the
  // Replace prompt re-sends the command) and returns false.
  bool may_write(const Command& c, const std::string& path, const std::string& current = "");
  // A new time-stamped file in `dir` (created), e.g. rrcnn-screenshot-2024-05-01-134502.png.
  std::string fresh_output(const std::string& dir, const std::string& prefix,
                           const std::string& ext) const;
  bool shipped(const std::string& path) const;
  void answer_prompt(int answer);
  // studio_apply.cpp: asks before `c` throws away unsaved trained weights; true when it did.
  bool ask_before_discarding(const Command& c);
  // The same for the drawing on the blank canvas (new digits, reset, another model...).
  bool ask_before_dropping_drawing(const Command& c);
  bool drawing_present() const;  // the blank canvas holds ink the user drew
  bool leave_canvas();  // back to the digits the canvas replaced; false when not on it
  void remember(const std::string& path);
  // `line`: the script line that caused it; < 0: the script line running now.
  void error(const std::string& text, int line = -1);
  void notice(const std::string& text);

  GuiOptions opts_;
  Platform& platform_;
  std::string config_dir_;
  std::string assets_dir_;  // the shipped models (never written to)
  BackendKind backend_kind_ = BackendKind::kAuto;

  StudioState st_;
  UiScratch ui_;
  RecentFiles recent_;
  std::vector<float> params_;  // the weights the session works on (trainer publishes here)
  AdamState adam_;
  std::shared_ptr<const Dataset> view_data_, train_data_;
  std::unique_ptr<LiveSim> sim_;
  std::unique_ptr<Trainer> trainer_;
  std::unique_ptr<TrainProbe> probe_;  // one measured step: the expected duration of a run
  std::unique_ptr<TrainProbe> new_model_probe_;  // the New model dialog's config
  std::string base_log_;     // the loaded checkpoint's log up to its step (its weights' history)
  std::string session_log_;  // this session's runs of these weights (the driver's log)
  RecentFiles recent_runs_{20};
  CellRenderer renderer_;
  bool renderer_ready_ = false;
  size_t history_seen_ = 0;
  LossHistory run_history_;  // this session's training steps (the log's are in st_.history)
  double history_time_offset_ = 0;  // seconds of the log the curve began with
  int run_batch_ = 0;  // the batch of the run run_history_ measured
  uint64_t divergences_seen_ = 0;
  int64_t strokes_applied_ = 0;  // brush strokes sent to the live view (for the report)
  bool trace_ = false;  // RRCNN_GUI_TRACE set: every command and close request to stderr
  uint64_t params_version_ = 0;
  bool loop_for_training_ = false;
  int canvas_batch_ = 0;  // on the blank canvas: the number of digits to return to (0: not)  // the live view loops because a run started (undone after)

  PanelLayout layout_;
  Rect last_area_;
  bool place_panels_ = true;  // place every panel this frame (first frame, resize, reset)
  bool layout_dirty_ = false;
  double layout_saved_at_ = 0;
  std::unique_ptr<Command> after_save_;  // what the unsaved-weights question's Save continues with
  bool quit_confirmed_ = false;          // quitting may discard the weights
  bool closed_by_user_ = false;          // the window was closed (not the script's end)

  std::unique_ptr<ScriptRunner> script_;
  std::vector<ProbeRequest> probe_requests_;
  std::vector<ProbeResult> probe_results_;
  struct ReportedError {
    std::string message, detail;
    int line = 0;  // script line (0: none)
    bool expected = false;
  };
  std::vector<ReportedError> all_errors_;  // for the report
  SampleStats frame_ms_, work_ms_, live_rate_;  // frame interval, work per frame, steps/s
  // The work's parts: workers' news and textures, building the UI, GL drawing, capture + swap.
  SampleStats update_ms_, ui_ms_, render_ms_, swap_ms_;
  std::string pending_shot_;
  struct ExportRecord {
    std::string path, caption;
    int width = 0, height = 0;
  };
  std::vector<ExportRecord> exports_;  // pictures written (for the report)
  Framebuffer last_frame_;
  int64_t frame_ = 0;
  std::chrono::steady_clock::time_point last_frame_time_;
  std::chrono::steady_clock::time_point last_input_;
  uint64_t input_events_seen_ = 0;
  // studio_timeline.cpp
  std::unique_ptr<McWorker> mc_;
  TimelineTiles timeline_tiles_;
  SimSnapshot live_snap_;  // the live batch while the timeline shows an older step
  TimelineFrame original_frame_;
  uint64_t curves_version_ = 0, composed_serial_ = 0;
  int64_t composed_step_ = -1;
  uint64_t composed_info_ = 0;
  InspectView fork_inspect_ = InspectView::kNone;  // the 4th tile before a fork showed the original
  // ab/studio_ab.cpp
  std::unique_ptr<AbModel> ab_model_;  // B's weights while A/B is on (null: off)
  std::shared_ptr<LiveTimeline> ab_timeline_;  // B's record, written by the live worker
  AbTiles ab_tiles_;
  // studio_session.cpp
  std::vector<std::string> record_lines_;  // the recording so far (written at its stop)
  std::string final_hash_;                 // the live state's hash at the end of a scripted run
};

}  // namespace rrcnn
