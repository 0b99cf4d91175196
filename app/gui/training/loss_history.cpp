// Training curve bookkeeping (see loss_history.h).
#include "gui/training/loss_history.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/json_io.h"

namespace rrcnn {

void LossHistory::add(const TrainPoint& p) {
  points_.push_back(p);
  // Running sum over the trailing window; exact enough in double for any run length.
  window_sum_ += p.loss;
  if (points_.size() > size_t(window_)) window_sum_ -= points_[points_.size() - 1 - window_].loss;
  const size_t n = points_.size() < size_t(window_) ? points_.size() : size_t(window_);
  average_.push_back(float(window_sum_ / double(n)));
}

void LossHistory::clear() {
  points_.clear();
  average_.clear();
  window_sum_ = 0;
}

void LossHistory::set_window(int window) {
  window_ = window < 1 ? 1 : window;
  recompute();
}

void LossHistory::recompute() {
  std::vector<TrainPoint> pts;
  pts.swap(points_);
  clear();
  for (const auto& p : pts) add(p);
}

double LossHistory::steps_per_second(size_t span) const {
  if (points_.size() < 2) return 0.0;
  if (span < 1) span = 1;
  const size_t last = points_.size() - 1;
  const size_t first = last >= span ? last - span : 0;
  const double dt = points_[last].time_s - points_[first].time_s;
  const double steps = double(points_[last].step - points_[first].step);
  return dt > 0 ? steps / dt : 0.0;
}

double LossHistory::eta_seconds(int64_t target_step) const {
  const double rate = steps_per_second();
  if (points_.empty() || rate <= 0) return -1.0;
  const double left = double(target_step - points_.back().step);
  return left <= 0 ? 0.0 : left / rate;
}

std::string LossHistory::to_csv() const {
  std::ostringstream os;
  os << "step,loss,loss_avg,lr,grad_norm,time_s\n";
  char line[160];
  for (size_t i = 0; i < points_.size(); ++i) {
    const TrainPoint& p = points_[i];
    std::snprintf(line, sizeof line, "%lld,%.9g,%.9g,%.9g,%.9g,%.6f\n", (long long)p.step,
                  double(p.loss), double(average_[i]), double(p.lr), double(p.grad_norm), p.time_s);
    os << line;
  }
  return os.str();
}

void LossHistory::write_csv(const std::string& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  RRCNN_CHECK(out.good(), "cannot write loss history to '"
                              << path << "' (check the directory exists and is writable)");
  out << to_csv();
  out.flush();
  RRCNN_CHECK(out.good(), "writing loss history to '" << path << "' failed (disk full?)");
}

std::string loss_log_beside(const std::string& ckpt) {
  if (ckpt.empty()) return "";
  const std::filesystem::path p(ckpt);
  const std::filesystem::path stem = p.parent_path() / p.stem();
  for (const std::string& c :
       {stem.string() + ".jsonl", stem.string() + ".train.jsonl", ckpt + ".jsonl"}) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(c, ec)) return c;
  }
  return "";
}

std::vector<TrainPoint> read_loss_log(const std::string& path, int64_t last_step,
                                      const std::function<void(const Json&)>& on_run) {
  std::ifstream in(path);
  RRCNN_CHECK(in, "cannot read the training log " << path);
  std::vector<TrainPoint> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const Json v = parse_json(line, path + ":" + std::to_string(n));
    // The line naming the run (core/training_driver.cpp) has no step: not a point.
    if (json_find(v, "run") && !json_find(v, "step")) {
      if (on_run) on_run(v);
      continue;
    }
    double step = -1, loss = 0;
    const Json *step_v = json_find(v, "step"), *loss_v = json_find(v, "loss");
    RRCNN_CHECK(step_v && json_number(*step_v, &step) && loss_v && json_number(*loss_v, &loss),
                path << ":" << n << ": a training-log line needs \"step\" and \"loss\"");
    RRCNN_CHECK(step >= 0 && step < 1e15, path << ":" << n << ": step " << step << " is out of range");
    TrainPoint p;
    p.step = int64_t(step) + 1;  // the log counts from 0, the GUI from 1
    if (last_step > 0 && p.step > last_step) break;
    p.loss = float(loss);
    const auto num = [&](const char* key) {
      const Json* x = json_find(v, key);
      double d = 0;
      return x && json_number(*x, &d) ? d : 0.0;
    };
    p.lr = float(num("lr"));
    p.grad_norm = float(num("grad_norm"));
    p.time_s = num("seconds");
    out.push_back(p);
  }
  return out;
}

}  // namespace rrcnn
