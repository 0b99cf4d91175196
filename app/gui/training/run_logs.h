// The studio's training logs, for comparing runs. Every run writes the driver's JSONL log (one
// "run" line naming its config and recipe, then one line per step) into the studio's runs
// folder; saving a checkpoint puts the log of everything its weights went through beside it
// (MODEL.jsonl: the log the loaded checkpoint came with, cut at its step, then this session's
// runs). The loss plot overlays earlier runs' logs, each labelled from its "run" line; the
// recent runs are a list in the studio's state folder. No window code; unit-tested.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "gui/training/loss_history.h"

namespace rrcnn {

// A log read back for the plot.
struct RunLog {
  std::string path;
  std::string label;  // "C 24, P 20, hidden 40,24, ... | pool 256, replace 2, horizon 64..96"
  std::string config, recipe, recipe_description;  // from the last "run" line ("" : none)
  std::vector<TrainPoint> points;
  std::vector<float> average;  // the loss's moving average (LossHistory's window), per point
};

// A recent run as the training panel lists it.
struct RecentRun {
  std::string path, label;
};

// Reads a training log (the CLI's, the studio's or the Python Trainer's). A log without a "run"
// line (older CLI logs) is labelled with its file name. Throws naming the file and line.
RunLog read_run_log(const std::string& path);

// The log's text without step lines at or past `step` (0-based in the file; `step` is the
// checkpoint's optimiser step): what the weights saved at that step went through. "" when the
// file is missing.
std::string log_text_before(const std::string& path, int64_t step);

// Writes `base` followed by the content of `session_log` ("" : none) to `path` (atomic:
// PATH.tmp, then renamed). Throws naming the path.
void write_log_beside(const std::string& path, const std::string& base,
                      const std::string& session_log);

// A new log's path in `dir`: rrcnn-run-<name>-2026-12-05-001502.jsonl (never an existing one).
std::string new_run_log_path(const std::string& dir, const std::string& name, std::time_t now);

// The file listing recent runs' logs beside the studio's error log (its state folder).
std::string recent_runs_file(const std::string& state_dir);

}  // namespace rrcnn
