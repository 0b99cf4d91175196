// The allocation limit of the transactional-growth tests (cuda_backend.h): a process-wide cap on
// one device allocation, read by DeviceBuffer::allocate. Zero (the default) means no cap.
#include <atomic>
#include <cstddef>

#include "gpu/cuda_backend.h"

namespace rrcnn {
namespace {
std::atomic<size_t> g_allocation_limit{0};
}  // namespace

namespace cuda {
size_t allocation_limit() { return g_allocation_limit.load(std::memory_order_relaxed); }
}  // namespace cuda

void cuda_set_allocation_limit_for_tests(size_t bytes) {
  g_allocation_limit.store(bytes, std::memory_order_relaxed);
}

}  // namespace rrcnn
