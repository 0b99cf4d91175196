// Carries out a parsed script (script.h) frame by frame: most actions become the same commands
// the panels emit; waits hold the script until a frame count, a live step or a training step is
// reached (with a frame limit, so a stuck run fails instead of hanging); probes record what the
// screen shows at a cell after rendering, for the smoke test's report.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gui/commands.h"
#include "gui/scripting/script.h"
#include "gui/studio_state.h"

namespace rrcnn {

struct ProbeRequest {
  std::string name;
  int sample = 0, x = 0, y = 0;
  float dx = 0, dy = 0;  // screen pixels off the cell's centre
};

struct ProbeResult {
  ProbeRequest at;
  bool on_screen = false;
  uint8_t rgb[3] = {0, 0, 0};
  float value = 0;   // image channel of the live state at the cell
  int64_t step = 0;  // live step of the snapshot shown
};

// What the runner needs from the studio beyond commands.
class ScriptHost {
 public:
  virtual ~ScriptHost() = default;
  // Blocks until the live view has applied every command sent so far.
  virtual void sync_live() = 0;
};

class ScriptRunner {
 public:
  explicit ScriptRunner(std::vector<ScriptAction> actions) : actions_(std::move(actions)) {}

  // Runs actions until one waits; appends commands; probes to read after this frame's render
  // go to *probes.
  void tick(const StudioState& s, ScriptHost& host, Commands& out,
            std::vector<ProbeRequest>* probes);
  bool finished() const { return next_ >= actions_.size(); }
  bool quit_requested() const { return quit_; }
  const std::vector<std::string>& failures() const { return failures_; }
  // The line of the action running now, or of the last one run (0 before the first).
  int current_line() const { return current_line_; }
  // True (and the expectation is used up) when `message` contains (ignoring case) the text of an
  // `expect-error TEXT` the script announced earlier.
  bool expected_error(const std::string& message);
  // At the end of the run: expectations no error met become failures.
  void finish();

 private:
  // False when the action must wait (it runs again next frame).
  bool run(const ScriptAction& a, const StudioState& s, ScriptHost& host, Commands& out,
           std::vector<ProbeRequest>* probes, bool emitted);
  bool wait_until(bool done, const ScriptAction& a, int limit_arg, int default_limit);

  std::vector<ScriptAction> actions_;
  size_t next_ = 0;
  int waited_ = 0;       // frames spent on the current action
  bool synced_ = false;  // the current probe/screenshot action has synced the live view
  bool quit_ = false;
  bool recorded_ = false;  // `recorded`: the commands carry the user's answers (script.h)
  int current_line_ = 0;
  std::vector<std::pair<int, std::string>> expected_;  // (line, text)
  std::vector<std::string> failures_;
};

}  // namespace rrcnn
