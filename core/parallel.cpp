// Thread pool behind parallel_for: workers sleep on a condition variable between jobs.
#include "core/parallel.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace rrcnn {
namespace {

thread_local bool g_inside_pool = false;

class Pool {
 public:
  explicit Pool(int threads) {
    for (int i = 0; i + 1 < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      quit_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
  }
  int size() const { return static_cast<int>(workers_.size()) + 1; }

  void run(size_t chunks, const std::function<void(size_t)>& task) {
    std::unique_lock<std::mutex> lock(mu_);
    task_ = &task;
    chunks_ = chunks;
    next_ = 0;
    done_ = 0;
    ++generation_;
    cv_.notify_all();
    lock.unlock();
    drain();
    lock.lock();
    done_cv_.wait(lock, [&] { return done_ == chunks_; });
    task_ = nullptr;
  }

 private:
  void drain() {
    g_inside_pool = true;
    for (;;) {
      size_t i;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (!task_ || next_ >= chunks_) break;
        i = next_++;
      }
      (*task_)(i);
      std::lock_guard<std::mutex> lock(mu_);
      if (++done_ == chunks_) done_cv_.notify_all();
    }
    g_inside_pool = false;
  }
  void work() {
    size_t seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return quit_ || (generation_ != seen && task_); });
        if (quit_) return;
        seen = generation_;
      }
      drain();
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  const std::function<void(size_t)>* task_ = nullptr;
  size_t chunks_ = 0, next_ = 0, done_ = 0, generation_ = 0;
  bool quit_ = false;
};

std::atomic<int> g_requested{0};
std::mutex g_pool_mu;
Pool* g_pool = nullptr;
int g_pool_size = 0;

int hardware_threads() {
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(std::min(hw, 64u));
}

}  // namespace

int num_threads() {
  const int r = g_requested.load();
  return r > 0 ? r : hardware_threads();
}

void set_num_threads(int n) { g_requested = std::max(0, n); }

void parallel_for(size_t n, size_t min_chunk, const std::function<void(size_t, size_t)>& fn) {
  if (n == 0) return;
  const int threads = num_threads();
  min_chunk = std::max<size_t>(1, min_chunk);
  if (threads <= 1 || g_inside_pool || n <= min_chunk) {
    fn(0, n);
    return;
  }
  // A few chunks per thread balance uneven work without making chunk boundaries matter.
  const size_t chunks = std::min<size_t>((n + min_chunk - 1) / min_chunk, size_t(threads) * 4);
  const size_t per = (n + chunks - 1) / chunks;
  // The pool is used by one caller at a time; concurrent callers (GUI view + trainer) run inline.
  std::unique_lock<std::mutex> lock(g_pool_mu, std::try_to_lock);
  if (!lock.owns_lock()) {
    fn(0, n);
    return;
  }
  if (!g_pool || g_pool_size != threads) {
    delete g_pool;
    g_pool = new Pool(threads);
    g_pool_size = threads;
  }
  g_pool->run(chunks, [&](size_t c) {
    const size_t b = c * per, e = std::min(n, b + per);
    if (b < e) fn(b, e);
  });
}

}  // namespace rrcnn
