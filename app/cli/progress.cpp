// Progress bar / progress lines (see progress.h).
#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace rrcnn {

Progress::Progress(int64_t first_step, int64_t total_steps, bool quiet)
    : first_(first_step), total_(total_steps), tty_(isatty(2) != 0), quiet_(quiet) {
  start_ = last_draw_ = std::chrono::steady_clock::now();
}

double Progress::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

double Progress::average_loss() const { return window_.empty() ? 0.0 : window_sum_ / window_.size(); }

void Progress::update(int64_t step, float loss, float lr) {
  window_.push_back(loss);
  window_sum_ += loss;
  if (window_.size() > 50) {
    window_sum_ -= window_.front();
    window_.pop_front();
  }
  if (quiet_) return;
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_draw_).count();
  // Terminal: redraw at most 10 times a second. Pipe: a line every 5 s and at the end.
  if (step == first_ + total_ || (tty_ ? since >= 0.1 : since >= 5.0) || step == first_ + 1) {
    last_draw_ = now;
    draw(step, lr);
  }
}

void Progress::draw(int64_t step, float lr) {
  const int64_t done = step - first_;
  const double t = elapsed();
  const double rate = t > 0 ? done / t : 0;
  const double eta = rate > 0 ? (total_ - done) / rate : 0;
  char eta_s[32];
  std::snprintf(eta_s, sizeof eta_s, "%d:%02d", int(eta) / 60, int(eta) % 60);
  if (tty_) {
    const int width = 24, filled = total_ > 0 ? int(width * done / total_) : width;
    std::string bar(size_t(filled), '#');
    bar.append(size_t(width - filled), '.');
    std::fprintf(stderr, "\r[%s] %lld/%lld  %.2f steps/s  loss %.5f  lr %.2e  ETA %s   ",
                 bar.c_str(), (long long)done, (long long)total_, rate, average_loss(), lr, eta_s);
  } else {
    std::fprintf(stderr, "step %lld/%lld  %.2f steps/s  loss %.5f (avg of last %zu)  lr %.2e  ETA %s\n",
                 (long long)done, (long long)total_, rate, average_loss(), window_.size(), lr, eta_s);
  }
  std::fflush(stderr);
}

void Progress::finish(const std::string& message) {
  if (quiet_) return;
  if (tty_) std::fputc('\n', stderr);
  if (!message.empty()) std::fprintf(stderr, "%s\n", message.c_str());
}

}  // namespace rrcnn
