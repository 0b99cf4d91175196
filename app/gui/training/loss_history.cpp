// Training curve bookkeeping (see loss_history.h).
#include "gui/training/loss_history.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/error.h"

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

}  // namespace rrcnn
