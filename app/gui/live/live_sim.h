// The live view's simulation: a worker thread that owns the view backend, applies commands in
// the order the UI sent them (reset, new digits, brush strokes, new weights, ...), steps the
// batch at the chosen speed and publishes snapshots the UI renders. A slow CPU step never
// blocks the window: the UI only copies the latest snapshot. No GL; tested in tests/gui.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/backend.h"
#include "core/dataset.h"
#include "gui/live/sim_pacing.h"
#include "gui/live/timeline.h"

namespace rrcnn {

class AbSlot;
struct AbFrame;

enum class SimOp {
  kReset,        // same digits, same noise: restart the rollout
  kNewNoise,     // same digits, fresh noise
  kNewDigits,    // next digits from the data set (flag: keep the hidden channels)
  kBlank,        // empty canvas, no target (n > 0: with n digits)
  kAddNoise,     // the current image becomes the target; restart from a noisy copy
  kStep,         // n single steps (while paused)
  kBrush,        // stroke
  kSetParams,    // params
  kSetDropout,   // value
  kSetNoise,     // value: alpha in [0,1], < 0 random per digit; resets with new noise
  kSetSeed,      // seed; resets
  kSetBatch,     // n; new digits
  kSetData,      // data; new digits
  kRecordStart,  // record what is on screen from now: every step and every change
  kRecordStop,
  kFork,         // n: a kept step to restart from (timeline.h); the original is kept aside
  kForkKeep,     // flag: keep the original (else the branch)
  kSetTimeline,  // timeline: record the rollout or not, ring size
  kAbAttach,     // ab: B runs beside A from here (both restart); null: A/B off (ab_slot.h)
  // Session recording (app/session/session_recorder.h): the worker writes what it applies, in
  // the order and at the step it applies it, as --script lines.
  kJournal,  // flag: start (text: header lines; restarts the rollout reproducibly) or stop
  kNote,     // text: a line for the journal (a setting that never reaches the worker)
  kRestore,  // seed, n: digit episode, episode: noise episode: the digits and noise of a
             // journal's start, from step 0
};

struct SimCommand {
  explicit SimCommand(SimOp o = SimOp::kReset) : op(o) {}
  SimOp op;
  int n = 0;
  float value = 0;
  bool flag = false;
  uint64_t seed = 0;
  BrushStroke stroke;
  std::shared_ptr<const std::vector<float>> params;
  std::shared_ptr<const Dataset> data;
  TimelineSettings timeline;
  std::shared_ptr<AbSlot> ab;
  std::string text;      // kJournal, kNote; kSetParams/kSetData: the script line that redoes it
  uint32_t episode = 0;  // kRestore
};

struct SimPacing {
  bool playing = false;
  float speed = 30;        // steps per second
  bool max_speed = false;  // as fast as the machine goes
  int rollout_length = 128;
  bool endless = false;  // run on past rollout_length (persistent models)
  bool loop = false;     // at the end: new digits and go on, instead of pausing
};

struct SimSnapshot {
  uint64_t version = 0;         // bumps whenever anything below changes
  uint64_t inputs_version = 0;  // bumps when noisy/clean/labels change
  int batch = 0, height = 0, width = 0, channels = 0;
  int64_t step = 0;
  bool playing = false;
  bool has_target = true;
  double steps_per_sec = 0;
  std::vector<float> state;   // (B, H, W, C)
  std::vector<float> noisy;   // (B, H, W) image channel at the start of the rollout
  std::vector<float> clean;   // (B, H, W) targets (zeros when !has_target)
  std::vector<float> alphas;  // (B) noise level of each digit
  std::vector<int> labels;    // (B) or -1
  std::vector<double> mse;    // (B) live image vs target, clipped as rendered
  // (B) 1 where a cell has blown up (core/metrics.h kDivergedLimit): the picture is then static,
  // and only a reset brings the digit back.
  std::vector<uint8_t> diverged;
  // The noise draw of this rollout (reset's seed and episode): the dropout rollouts of the
  // uncertainty view draw their masks from it, so their copy 0 is this rollout.
  uint64_t noise_seed = 0;
  uint32_t noise_episode = 0;
  bool from_history = false;  // composed from the timeline (not the backend's live state)
  std::shared_ptr<const AbFrame> ab;  // B at this step while A/B is on (ab_state.h), else null
  int diverged_count() const {
    int n = 0;
    for (uint8_t d : diverged) n += d;
    return n;
  }
};

// A finished recording: frames of the image channel (B, H, W) of what the live view showed,
// from the moment it started (no restart) to its stop or the frame cap.
struct SimRecording {
  int batch = 0, height = 0, width = 0;
  std::vector<std::vector<float>> frames;
  std::vector<int64_t> steps;  // the live step of each frame
  // The inputs each frame was shown with: noisy[input[f]] and clean[input[f]]; a reset, new
  // noise or new digits during the recording start a new pair.
  std::vector<int> input;
  std::vector<std::vector<float>> noisy, clean;
  bool capped = false;  // ended at kMaxRecordFrames, not by the user
};

class LiveSim {
 public:
  // Called on the worker with the backend before each snapshot becomes visible to fetch(): how
  // the CUDA-GL display path gets its device copy of the state (gpu/state_exchange.h).
  using PublishHook = std::function<void(const Backend&)>;

  // `data` supplies the digits; `batch` digits are shown.
  LiveSim(std::unique_ptr<Backend> backend, std::shared_ptr<const Dataset> data, int batch,
          uint64_t seed, PublishHook on_publish = {});
  ~LiveSim();
  LiveSim(const LiveSim&) = delete;
  LiveSim& operator=(const LiveSim&) = delete;

  void post(const SimCommand& c);
  void set_pacing(const SimPacing& p);
  SimPacing pacing() const;
  // Copies the latest snapshot into *out when it is newer than out->version.
  bool fetch(SimSnapshot* out) const;
  // Errors raised by commands since the last call (empty when none).
  std::vector<std::string> take_errors();
  // A recording that has finished since the last call.
  bool take_recording(SimRecording* out);
  bool recording() const;
  // Frames recorded so far (shown while recording).
  int recording_frames() const;
  // A recording ends by itself at this many frames (a minute at 30 steps/s).
  static constexpr int kMaxRecordFrames = 1800;
  // Blocks until every command posted so far has been applied (for scripts and tests).
  void sync();
  // Journal lines (kJournal) written since the last call; *exact false once something was not
  // replayable (weights from training, a fork).
  std::vector<std::string> take_journal(bool* exact = nullptr);

  const std::string& backend_name() const { return backend_name_; }
  const std::string& device_name() const { return device_name_; }
  const ModelConfig& config() const { return config_; }
  // The rollout's record (thread-safe reads; the worker writes it while it is enabled).
  const LiveTimeline& timeline() const { return timeline_; }

 private:
  void run();
  void apply(const SimCommand& c);
  void new_digits(bool keep_hidden);
  void restart(bool fresh_noise);
  void publish(bool inputs_changed);
  void record_frame();
  void finish_recording();
  // The timeline's record (no-ops while it is off; live_sim_timeline.cpp).
  void advance(int n);  // n steps, each recorded when the timeline or a GIF records
  void timeline_restart();
  void timeline_record();
  void apply_timeline(const SimCommand& c);
  // The journal (live_sim_journal.cpp).
  void journal(const std::string& line);  // after the pending steps
  void journal_steps(int64_t n);
  void journal_command(const SimCommand& c);
  void restore(uint64_t seed, uint32_t digit_episode, uint32_t noise_episode);

  std::unique_ptr<Backend> backend_;
  PublishHook on_publish_;
  std::string backend_name_, device_name_;
  ModelConfig config_;

  // Worker-only state.
  std::shared_ptr<const Dataset> data_;
  int batch_;
  uint64_t seed_;
  float alpha_ = -1.0f;
  uint32_t digit_episode_ = 0, noise_episode_ = 0;
  std::vector<float> clean_, noisy_, alphas_;
  std::vector<int> labels_;
  bool has_target_ = true;
  StepPacer pacer_;
  bool was_playing_ = false;
  RateMeter meter_;
  bool record_active_ = false;
  SimRecording record_;
  uint64_t inputs_serial_ = 0, recorded_serial_ = 0;  // the inputs' changes, the last recorded
  LiveTimeline timeline_;
  std::shared_ptr<AbSlot> ab_;  // B, stepped in lockstep while A/B is on (null: off, no cost)
  bool journal_active_ = false;
  int64_t journal_pending_steps_ = 0;

  // Shared with the UI thread.
  mutable std::mutex mu_;
  std::condition_variable cv_, idle_cv_;
  std::vector<SimCommand> queue_;
  uint64_t posted_ = 0, applied_ = 0;
  SimPacing pacing_;
  bool pacing_changed_ = false;
  bool quit_ = false;
  SimSnapshot snapshot_;
  std::vector<std::string> errors_;
  bool record_ready_ = false;
  int record_frames_ = 0;
  SimRecording finished_;
  std::vector<std::string> journal_lines_;
  bool journal_exact_ = true;
  std::thread thread_;
};

}  // namespace rrcnn
