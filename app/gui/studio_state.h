// Everything the panels show, gathered once per frame by Studio: the settings, the latest live
// snapshot, the training status and curve, the model's origin and the status-line numbers.
// Panels get it as const and answer with commands (commands.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/config.h"
#include "gui/ab/ab_state.h"
#include "gui/commands.h"
#include "gui/live/live_sim.h"
#include "gui/live/timeline_ui.h"
#include "gui/training/loss_history.h"
#include "gui/files/output_paths.h"
#include "gui/files/shipped_models.h"
#include "gui/training/model_form.h"
#include "gui/training/run_logs.h"
#include "gui/session/studio_settings.h"
#include "gui/training/trainer.h"
#include "gui/user_message.h"

namespace rrcnn {

struct ModelInfo {
  ModelConfig config;
  std::string name;  // short: the file's stem ("rrcnn-seed") or "untrained"
  std::string recipe = "seed";  // how it was trained (checkpoint.h): "seed" or "pool"
  std::string description;      // one line, the file's own or its recipe's; once trained here, what was done
  std::string file_description; // the loaded file's line (empty for fresh weights), kept while training on
  std::string source;  // checkpoint path, or "fresh parameters (init seed N)"
  bool fresh = true;   // not loaded from a checkpoint
  uint64_t init_seed = 0;
  int64_t optimizer_step = 0;
  bool unsaved = false;  // trained in this session since the last load or save
  int64_t saved_step = 0;  // optimiser step at the last load or save
  bool saved_here = false;  // saved in this session (the status line names the save's step)
  bool from_session = false;  // began as fresh weights in this session (saved since)
  int64_t loaded_step = 0;  // optimiser step when these weights were loaded or made
  size_t param_count = 0, trained_count = 0;
};

struct StatusInfo {
  std::string backend;       // "cpu", "cuda"
  std::string device;        // "2 threads, openblas", "NVIDIA H100 ..."
  std::string backend_note;  // why CUDA is not used, on auto
  std::string display_path;  // "host copy" or "CUDA-GL interop"
  std::string gl_renderer;
  double frame_ms = 0;
  double ui_scale = 1;
};

// A question the studio waits on (a modal dialog); the answer comes back as kPromptAnswer and
// `pending` is carried out (or not).
struct Prompt {
  // kTargetReached: Start with the weights already at the target; `extend` more steps offered.
  // kDrawing: a command would throw away the user's drawing on the blank canvas.
  enum Kind { kNone, kReplace, kUnsaved, kDiverged, kTargetReached, kDrawing } kind = kNone;
  int extend = 0;
  std::string title, text;
  Command pending{Cmd::kQuit};  // after Replace / Save / Discard
};

struct StudioState {
  SimPacing pacing;
  NoiseSettings noise;
  BrushSettings brush;
  ViewSettings view;
  TrainSettings train;
  double train_step_seconds = 0;  // measured here (train_probe.h) or from the run; 0: unknown
  double train_step_lo = 0, train_step_hi = 0;  // the probe's range (several timed steps)
  bool train_step_from_run = false;  // train_step_seconds is this session's measured rate
  double train_rate = 0, train_eta = -1;  // this session's run: steps/s, seconds to the target
  std::string loss_log;  // the training log the curve was read from (beside the checkpoint)
  bool train_probe_busy = false;

  SimSnapshot snap;  // the live batch, or the step the timeline shows
  TimelineUi tl;     // timeline, error curves, dropout uncertainty (timeline_ui.h)
  AbUi ab;           // A/B: a second model beside this one (ab_state.h)
  TrainStatus train_status;
  LossHistory history;
  ModelInfo model;
  StatusInfo status;

  std::string ckpt_path;  // the file the weights were loaded from or last saved to
  OutputDirs out_dirs;    // where pictures and checkpoints go by default
  std::string home;       // for display (~) and the browser's Home
  std::string data_source;  // what the live view's digits come from
  std::vector<std::string> recent;
  std::vector<ShippedModel> models;  // the switcher's list (assets folder, default first)
  std::string command_line;  // the headless commands for the current settings (F1)
  SessionStatus session;     // Copy as command, session files, recording (studio_session.cpp)

  bool captions = true;  // exported pictures carry a caption (model, step, noise)
  bool gif_recording = false;
  int gif_frames = 0;  // recorded so far
  std::string gif_path;
  std::string notice;               // last success message ("saved ...")
  uint64_t notice_serial = 0;       // bumps with every notice (the toast shows it afresh)
  std::string toast_shown;  // the notice drawn whole inside the window last frame ("": none)
  std::vector<std::string> written;  // full paths of the files written this session
  Prompt prompt;
  bool browser_open = false;        // the file browser is up
  std::vector<UserMessage> errors;  // shown one at a time in a popup
  std::string log_path;             // where the details of errors are kept
  bool closing = false;             // window closed while training: waiting for the step in flight
  // Runs to compare and models of your own (studio_runs.cpp).
  std::vector<RunLog> overlays;         // earlier runs drawn over the loss plot
  std::vector<RecentRun> recent_runs;   // the training panel's list (newest first)
  NewModelTiming new_model;             // the New model dialog's measured step
};

}  // namespace rrcnn
