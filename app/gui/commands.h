// What the UI asks for. Panels, shortcuts, the drop handler and scripts only read the studio's
// state and append commands; Studio::apply carries them out after the frame is drawn, so no
// widget code changes state in the middle of drawing and every action has one implementation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/brush.h"
#include "gui/live/brush_input.h"
#include "gui/files/file_browser.h"
#include "gui/live/live_sim.h"
#include "gui/live/timeline_ui.h"
#include "gui/training/trainer.h"

namespace rrcnn {

enum class InspectView : int {
  kNone = 0,
  kChannel = 1,
  kError = 2,
  kChange = 3,    // |s_t - s_(t-1)| summed over channels (timeline_ui.h)
  kMcMean = 4,    // per-pixel mean of the dropout rollouts
  kMcStd = 5,     // their per-pixel standard deviation
  kOriginal = 6,  // during a fork: the original rollout at the same step
};

// Display choices; they change what is drawn, never the simulation.
struct ViewSettings {
  InspectView inspect = InspectView::kNone;  // fourth tile of every digit card
  int channel = 0;         // channel shown by kChannel and highlighted in the mosaic
  bool auto_range = true;  // per-channel symmetric range from the data
  float range = 1.0f;      // fixed range when !auto_range
  float error_range = 0.5f;
  int colormap = 0;  // ColorMap
  int selected = 0;  // digit shown in the inspector
  bool show_controls = true, show_inspector = true, show_training = true, show_help = false;
};

// Live-view settings beyond the pacing (which lives in SimPacing).
struct NoiseSettings {
  bool random_alpha = true;  // one level per digit, U(0,1), as in training
  float alpha = 0.5f;
  float dropout = 0.5f;
  uint64_t seed = 1;
  int batch = 8;
};

enum class Cmd {
  // live view
  kSetPacing,
  kReset,
  kStep,
  kNewDigits,
  kNewNoise,
  kBlank,
  kAddNoise,
  kBrush,
  kSetNoise,
  kSetBrush,
  kSetView,
  kTimelineSeek,  // n: the step to show (-1: the newest, playing resumes there)
  kTimelineFork,  // n: restart from this kept step, the original kept beside
  kTimelineKeep,  // flag: keep the original (else the branch)
  kSetTimeline,   // timeline: recording, ring size, curves, K
  kMcStart,       // dropout rollouts of the digits on screen (timeline.mc_k of them)
  kMcCancel,
  // training
  kTrainStart,
  kTrainPause,
  kTrainResume,
  kTrainStop,
  kSetTrain,
  kResetWeights,
  kReseedWeights,
  kSwitchModel,  // path: a shipped model (checkpoint) to load
  kUsePreset,    // path: "lite" / "seed": fresh weights of that size
  kExportLoss,
  // models and runs of your own (studio_runs.cpp)
  kNewModelDialog,  // path: "" opens the New model dialog; "field=value ..." fills it too
  kNewModelProbe,   // path: a config (JSON): time a few training steps of it on this machine
  kNewModel,        // path: a config (JSON): fresh weights of that architecture
  kOverlayAdd,      // path: a training log (JSONL) to draw over the loss plot
  kOverlayRemove,   // n: which overlay (-1: all)
  // files and capture
  kSaveCheckpoint,
  kLoadCheckpoint,
  kOpenPath,
  kScreenshot,  // path: empty = a new time-stamped file in the pictures folder
  kRecordGif,   // the same
  kStopGif,
  kSetCaptions,  // flag: exported pictures carry a caption
  kAb,           // n: AbAction (ab_state.h), path: B's checkpoint for kLoad, flag: shown or not
  kBrowse,        // n: BrowsePurpose; opens the file browser
  kPromptAnswer,  // n: 0 cancel, 1 yes (replace / save), 2 discard
  // misc
  kShowError,
  kDismissError,
  kResetLayout,
  kKeys,  // path: a key chord to tap, as if typed (scripts)
  kType,  // path: characters typed into the focused field (scripts)
  kCloseWindow,  // as if the window's close button were clicked (scripts)
  kHover,        // n: sample (-1: off), stroke.x0/y0: cell position of the pointer (scripts)
  kWindowSize,   // stroke.x0 x stroke.y0: the window size (scripts)
  kPlacePanel,   // n: PanelId, stroke x0 y0 x1 y1 = x y w h, as if dragged there (scripts)
  // sessions (gui/studio_session.cpp)
  kSaveSession,    // path: empty = the file browser
  kLoadSession,    // path: empty = the file browser
  kRecordSession,  // path: empty = a new time-stamped script in the data folder
  kStopRecording,
  kCopyCommand,    // path: "render", "eval", "train", "gui" (empty: render); shows the dialog
  kRestore,        // noise.seed, n: digit episode, episode: noise episode (recordings)
  kQuit,
};

struct Command {
  explicit Command(Cmd k = Cmd::kQuit) : kind(k) {}
  Cmd kind;
  std::string path;   // files; error text for kShowError
  int n = 0;          // step count
  bool flag = false;  // keep hidden channels; save with optimiser state
  bool overwrite = false;  // writing may replace an existing file (the user agreed, or a script)
  bool discard_ok = false;  // may replace unsaved trained weights (the user agreed)
  bool drawing_ok = false;  // may throw away the drawing on the blank canvas (the user agreed)
  BrushStroke stroke;
  SimPacing pacing;
  NoiseSettings noise;
  BrushSettings brush;
  ViewSettings view;
  TrainSettings train;
  TimelineView timeline;
  int script_line = 0;  // the script line that emitted it (0: the user), for the report
  uint32_t episode = 0;  // kRestore
};

class Commands {
 public:
  void push(Cmd kind) { list_.push_back(Command(kind)); }
  void push(const Command& c) { list_.push_back(c); }
  void path(Cmd kind, const std::string& p) {
    Command c{kind};
    c.path = p;
    list_.push_back(c);
  }
  std::vector<Command> take() {
    std::vector<Command> out;
    out.swap(list_);
    return out;
  }
  bool empty() const { return list_.empty(); }
  size_t size() const { return list_.size(); }
  // Marks the commands from index `from` on as emitted by script line `line`.
  void tag(size_t from, int line) {
    for (size_t i = from; i < list_.size(); ++i) list_[i].script_line = line;
  }

 private:
  std::vector<Command> list_;
};

}  // namespace rrcnn
