// The live view's journal (live_sim.h, SimOp::kJournal): while a session is recorded, the worker
// writes each command it applies as a --script line, after a `step N` for the steps it ran since
// the last one. Written where the commands are applied, so a stroke lands at the exact step (and
// in the exact order among the commands of that step) it hit in the window, whatever the frame
// rate or the speed: replaying the lines with the view paused rebuilds the same states.
#include <algorithm>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "gui/live/live_sim.h"
#include "session/session_file.h"  // float_text

namespace rrcnn {

std::vector<std::string> LiveSim::take_journal(bool* exact_out) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  out.swap(journal_lines_);
  if (exact_out) *exact_out = journal_exact_;
  return out;
}

void LiveSim::journal_steps(int64_t n) {
  if (journal_active_) journal_pending_steps_ += n;
}

void LiveSim::journal(const std::string& line) {
  if (!journal_active_) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (journal_pending_steps_ > 0)
    journal_lines_.push_back("step " + std::to_string(journal_pending_steps_));
  journal_pending_steps_ = 0;
  size_t start = 0;
  while (start < line.size()) {  // a header comes as several lines
    const size_t end = line.find('\n', start);
    journal_lines_.push_back(line.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

void LiveSim::restore(uint64_t seed, uint32_t digit_episode, uint32_t noise_episode) {
  seed_ = seed;
  digit_episode_ = digit_episode - 1;  // new_digits draws episode digit_episode ...
  noise_episode_ = noise_episode - 1;  // ... and restart(true) noise episode noise_episode
  has_target_ = true;
  new_digits(false);
}

void LiveSim::journal_command(const SimCommand& c) {
  if (!journal_active_) return;
  switch (c.op) {
    case SimOp::kReset: journal("reset"); break;
    case SimOp::kNewNoise: journal("new-noise"); break;
    case SimOp::kNewDigits: journal(c.flag ? "new-digits keep-hidden" : "new-digits"); break;
    case SimOp::kBlank: journal("blank"); break;
    case SimOp::kAddNoise: journal("add-noise"); break;
    case SimOp::kStep: journal_steps(std::max(c.n, 1)); break;
    case SimOp::kBrush: {
      const BrushStroke& b = c.stroke;
      journal("stroke-at " + std::to_string(b.sample) + " " + float_text(b.x0) + " " +
              float_text(b.y0) + " " + float_text(b.x1) + " " + float_text(b.y1) + " " +
              float_text(b.radius) + " " + brush_mode_name(b.mode) + " " + float_text(b.strength) +
              " " + std::to_string(b.serial));
      break;
    }
    case SimOp::kSetParams:
    case SimOp::kSetData:
    case SimOp::kFork:
      if (!c.text.empty() && c.op != SimOp::kFork) {
        journal(c.text);
      } else {
        journal(c.op == SimOp::kFork ? "# fork: not replayable, the states from here differ"
                                     : "# new weights not from a file (training, a reseed): not replayable from here");
        std::lock_guard<std::mutex> lock(mu_);
        journal_exact_ = false;
      }
      break;
    case SimOp::kSetDropout: journal("dropout " + float_text(c.value)); break;
    case SimOp::kSetNoise: journal(c.value < 0 ? "noise random" : "noise " + float_text(c.value)); break;
    case SimOp::kSetSeed: journal("seed " + std::to_string(c.seed)); break;
    case SimOp::kSetBatch: journal("batch " + std::to_string(c.n)); break;
    case SimOp::kNote: journal(c.text); break;
    case SimOp::kRestore:
      journal("restore " + std::to_string(c.seed) + " " + std::to_string(c.n) + " " +
              std::to_string(c.episode));
      break;
    case SimOp::kJournal:
    case SimOp::kForkKeep:
    case SimOp::kSetTimeline:
    case SimOp::kRecordStart:
    case SimOp::kRecordStop:
      break;
    case SimOp::kAbAttach:  // the studio records A/B changes itself, as `ab ...` lines (ab_script.h)
      break;
  }
}

}  // namespace rrcnn
