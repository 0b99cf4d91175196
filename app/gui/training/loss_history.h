// The training curve as the GUI keeps it: one point per optimiser step (loss, learning rate,
// gradient norm, wall time), a trailing moving average, throughput and ETA, and the CSV export.
// No window code; unit-tested.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace rrcnn {

struct TrainPoint {
  int64_t step = 0;  // optimiser updates applied after this one (1-based)
  float loss = 0;
  float lr = 0;
  float grad_norm = 0;
  double time_s = 0;  // seconds since the run started (monotonic)
};

class LossHistory {
 public:
  explicit LossHistory(int window = 50) : window_(window < 1 ? 1 : window) {}

  void add(const TrainPoint& p);
  void clear();
  void set_window(int window);  // recomputes the average
  int window() const { return window_; }

  const std::vector<TrainPoint>& points() const { return points_; }
  // ma[i] = mean of loss over points (i - window, i]; same length as points().
  const std::vector<float>& moving_average() const { return average_; }
  bool empty() const { return points_.empty(); }

  // Optimiser steps per second over the last `span` points (0 when fewer than 2).
  double steps_per_second(size_t span = 20) const;
  // Seconds until `target_step` at the current rate; negative when unknown.
  double eta_seconds(int64_t target_step) const;

  // "step,loss,loss_avg,lr,grad_norm,time_s" then one row per point.
  std::string to_csv() const;
  void write_csv(const std::string& path) const;  // throws rrcnn::Error naming the path

 private:
  void recompute();
  int window_;
  std::vector<TrainPoint> points_;
  std::vector<float> average_;
  double window_sum_ = 0;
};

// The training log kept beside a checkpoint (`rrcnn train --log`, one JSON object per line:
// step (0-based), loss, lr, grad_norm, seconds): "model.jsonl" (what the training driver and a
// studio save write), "model.train.jsonl" or "model.safetensors.jsonl". "" when there is none.
std::string loss_log_beside(const std::string& checkpoint_path);

// The log's points with 1-based steps, as the GUI records them, up to `last_step` (the
// checkpoint's optimiser step: a log that ran on past the save is cut there). Throws
// rrcnn::Error naming the file and line of a malformed record. `on_run`, when given, gets the
// lines naming the run (core/training_driver.cpp: {"run": {...}}, no step) as parsed, so a
// reader that wants them too (run_logs.h) reads and parses the file once.
std::vector<TrainPoint> read_loss_log(const std::string& path, int64_t last_step,
                                      const std::function<void(const nlohmann::ordered_json&)>& on_run = {});

}  // namespace rrcnn
