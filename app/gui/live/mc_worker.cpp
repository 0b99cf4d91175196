// The dropout-uncertainty worker (see mc_worker.h).
#include "gui/live/mc_worker.h"

#include <chrono>
#include <cmath>
#include <exception>
#include <utility>

#include "core/error.h"
#include "core/mc_dropout.h"
#include "core/rollout_stats.h"

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace rrcnn {

McWorker::McWorker(BackendFactory factory) : factory_(std::move(factory)) {
  thread_ = std::thread([this] { run(); });
}

McWorker::~McWorker() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    quit_ = true;
  }
  cancel_ = true;
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void McWorker::start(McRequest r) {
  RRCNN_CHECK(r.k >= 1 && r.k <= kMaxMcRollouts,
              "dropout rollouts: K = " << r.k << " is outside 1.." << kMaxMcRollouts);
  RRCNN_CHECK(r.params && r.batch >= 1 && r.steps >= 1,
              "dropout rollouts: nothing to run (batch " << r.batch << ", " << r.steps << " steps)");
  RRCNN_CHECK(r.noisy.size() == size_t(r.batch) * r.config.cells() &&
                  r.clean.size() == r.noisy.size(),
              "dropout rollouts: the inputs do not match the batch");
  RRCNN_CHECK(r.dropout > 0.0f, "dropout rollouts need dropout > 0: with no dropout all "
                                    << r.k << " rollouts are the same (set Dropout in Noise)");
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_ = std::make_unique<McRequest>(std::move(r));
    progress_.busy = true;
    progress_.done = 0;
    progress_.total = pending_->steps;
    progress_.k = pending_->k;
    progress_.error.clear();
  }
  cancel_ = true;  // the run in flight (if any) stops at its next chunk
  cv_.notify_all();
}

void McWorker::cancel() {
  std::lock_guard<std::mutex> lock(mu_);
  pending_.reset();
  cancel_ = true;
  if (!busy_) progress_.busy = false;
}

McProgress McWorker::progress() const {
  std::lock_guard<std::mutex> lock(mu_);
  return progress_;
}

bool McWorker::take(McResult* out) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!has_result_) return false;
  *out = std::move(result_);
  result_ = McResult{};
  has_result_ = false;
  return true;
}

void McWorker::wait_idle() const {
  std::unique_lock<std::mutex> lock(mu_);
  idle_cv_.wait(lock, [&] { return !pending_ && !busy_; });
}

void McWorker::run() {
#if defined(__linux__)
  // Below the window and the live view: the uncertainty run takes what CPU is left.
  setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), 10);
#endif
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return quit_ || pending_; });
    if (quit_) return;
    std::unique_ptr<McRequest> r = std::move(pending_);
    busy_ = true;
    cancel_ = false;
    lock.unlock();
    McResult res;
    std::string error;
    bool cancelled = false;
    try {
      res = compute(*r);
      cancelled = res.k == 0;
    } catch (const std::exception& e) {
      error = e.what();
    }
    lock.lock();
    busy_ = false;
    if (!pending_) progress_.busy = false;
    if (!error.empty()) progress_.error = error;
    if (error.empty() && !cancelled) {
      result_ = std::move(res);
      has_result_ = true;
      ++progress_.results;
    }
    idle_cv_.notify_all();
  }
}

McResult McWorker::compute(const McRequest& r) {
  const auto t0 = std::chrono::steady_clock::now();
  if (!backend_ || !(backend_->config().preset == r.config.preset &&
                     backend_->config().channels == r.config.channels &&
                     backend_->config().height == r.config.height &&
                     backend_->config().width == r.config.width &&
                     backend_->layout().total() == ParamLayout(r.config).total()))
    backend_ = factory_(r.config);
  backend_->set_params(*r.params);
  backend_->set_live_dropout(r.dropout);
  // reset() fixes the noise draw's seed and episode (the masks); the start is the rollout's
  // input with the hidden channels at zero, as the live view's reset made it.
  backend_->reset(r.clean, r.batch, 0.0f, r.seed, r.episode);
  const int px = r.config.cells(), C = r.config.channels;
  std::vector<float> start(size_t(r.batch) * px * C, 0.0f);
  for (size_t i = 0; i < size_t(r.batch) * px; ++i) start[i * C + C - 1] = r.noisy[i];
  const McRollouts run = run_mc_rollouts(
      *backend_, start, r.batch, r.k, r.steps, r.has_target ? r.clean.data() : nullptr,
      [this](int done, int total) {
        std::lock_guard<std::mutex> lock(mu_);
        progress_.done = done;
        progress_.total = total;
        return !cancel_.load();
      });
  McResult res;
  if (run.cancelled) return res;  // k == 0: nothing to show
  res.rollout_id = r.rollout_id;
  res.k = r.k;
  res.batch = r.batch;
  res.steps = r.steps;
  res.pixels = px;
  res.has_target = r.has_target;
  const McSummary s = summarize_mc(run.finals.data(), r.k, r.clean.data(), r.batch, px);
  res.mean = s.mean;
  res.std_dev = s.std_dev;
  if (r.has_target) {
    mc_step_band(run, &res.band_mean, &res.band_sd);
    res.single_mse = s.single_mse;
    res.mean_mse = s.mean_mse;
    for (int b = 0; b < r.batch; ++b) {
      res.single_mean += s.single_mse[size_t(b)] / r.batch;
      res.kmean_mean += s.mean_mse[size_t(b)] / r.batch;
    }
    res.std_error_corr = s.std_error_corr;
  }
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

}  // namespace rrcnn
