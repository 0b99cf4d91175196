// The allocation-failure hook of the transactional-growth tests (cuda_backend.h): a countdown
// read by DeviceBuffer::allocate; the allocation it reaches zero on fails as if the device were
// out of memory. Zero (the default) means no failure.
#include <atomic>

#include "gpu/cuda_backend.h"

namespace rrcnn {
namespace {
std::atomic<int> g_fail_countdown{0};
}  // namespace

namespace cuda {
bool allocation_should_fail() {
  int n = g_fail_countdown.load();
  while (n > 0)
    if (g_fail_countdown.compare_exchange_weak(n, n - 1)) return n == 1;
  return false;
}
}  // namespace cuda

void cuda_fail_allocation_for_tests(int nth) { g_fail_countdown.store(nth > 0 ? nth : 0); }

}  // namespace rrcnn
