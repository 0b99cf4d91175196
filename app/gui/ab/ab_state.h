// A/B: a second model (B) that runs beside the session's model (A) in lockstep on the same
// noisy digits, noise and dropout masks (the counter-based streams are drawn per cell, so a B of
// another channel count or hidden size shares them; only another grid size cannot). This header
// holds the plain data: the setting a session file saves (AbState), B's weights and origin
// (AbModel), what the worker publishes of B each frame (AbFrame) and what the panels read
// (AbUi). No GL, no worker code (ab_slot.h runs B; studio_ab.cpp connects it).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/optimizer.h"
#include "gui/live/timeline.h"

namespace rrcnn {

// Where B's weights came from.
enum class AbSource : int {
  kNone = 0,      // A/B off
  kFile = 1,      // a checkpoint file (the file browser, `ab load FILE`, a shipped model)
  kSnapshot = 2,  // a frozen copy of the session's weights (while or after training)
  kSwapped = 3,   // the session's former model, after a swap
};

// What the A/B controls ask for (Cmd::kAb's n; the path rides in the command's path).
enum class AbAction : int {
  kLoad = 0,      // path: a checkpoint (a shipped model or any file) becomes B
  kSnapshot = 1,  // the session's weights as they are now (training goes on) become B
  kSwap = 2,      // A becomes B and B becomes A; both restart on the same digits
  kOff = 3,       // B goes; A runs alone again (at no extra cost)
  kShowB = 4,     // flag: B's tile on the digit cards
  kShowDiff = 5,  // flag: the A - B tile
};

// The A/B setting, as a session file saves it (everything else is derived or live).
struct AbState {
  bool on = false;
  AbSource source = AbSource::kNone;
  std::string path;            // kFile: the checkpoint B was loaded from
  int64_t snapshot_step = 0;   // kSnapshot: the optimiser step of the weights copied
  bool show_b = true;          // B's live tile on every digit card
  bool show_diff = true;       // the A - B tile (diverging map, the error map's range)
};

// B's weights and what the UI says about them. The studio keeps it (a swap makes it A).
struct AbModel {
  ModelConfig config;
  std::vector<float> params;
  AdamState adam;            // kept so a swap back to A can go on training
  std::string name;          // "rrcnn-lite", "snapshot @ step 120"
  std::string description;   // one line: size and recipe
  std::string source;        // path, or "snapshot of <A> at step N"
  std::string recipe = "seed";
  std::string ckpt_path;     // the file it was loaded from or saved to ("" for a snapshot)
  bool fresh = false;
  bool unsaved = false;      // trained in this session and not saved
  bool swapped_out = false;  // the session's model, moved to B by a swap (not a copy of A)
  int64_t optimizer_step = 0, saved_step = 0, loaded_step = 0;
  uint64_t train_seed = 0;
};

// B's part of one live snapshot (the worker publishes it next to A's state).
struct AbFrame {
  int channels = 0;
  int64_t step = 0;              // always A's step: they run in lockstep
  std::vector<float> state;      // (B, H, W, C_B) B's full state
  std::vector<float> image;      // (B, H*W) B's image channel
  std::vector<double> mse;       // (B) clipped MSE against the target, as A's
  std::vector<uint8_t> diverged; // (B)
};

// What the panels read about A/B (gathered once per frame by the studio).
struct AbUi {
  AbState state;
  std::string a_name, b_name;  // the models' short names
  std::string b_description;   // B's size and recipe, one line
  std::string differs;         // one line: what differs between A and B ("" when identical)
  std::string shared;          // one line: what A and B share (digits, noise, masks)
  int b_channels = 0;
  // B at the step on screen (the timeline's step while scrubbing, else the newest).
  int64_t step = -1;
  std::vector<float> image;     // (B, H*W)
  std::vector<double> mse;      // (B)
  std::vector<uint8_t> diverged;
  TimelineCurve curve;          // B's per-step errors (the timeline's, like A's)
  uint64_t curve_version = 0;
  uint32_t b_texture = 0, diff_texture = 0;  // GL names of the B and A - B strips
  float diff_max = 0;           // the largest |A - B| pixel on screen (0: identical)
  bool on() const { return state.on; }
};

}  // namespace rrcnn
