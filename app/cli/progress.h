// Training progress on the terminal: a redrawn bar with steps/s, average loss and ETA when
// stderr is a terminal, plain lines every few seconds otherwise (logs, CI).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>

namespace rrcnn {

class Progress {
 public:
  Progress(int64_t first_step, int64_t total_steps, bool quiet);
  void update(int64_t step, float loss, float lr);  // step: optimiser steps done so far
  void finish(const std::string& message);  // an empty message only ends the bar
  double elapsed() const;
  double average_loss() const;

 private:
  void draw(int64_t step, float lr);
  int64_t first_, total_;
  bool tty_, quiet_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  std::deque<float> window_;
  double window_sum_ = 0;
};

}  // namespace rrcnn
