// The MAC counter behind core/work_counter.h: one relaxed atomic. Ordering does not matter,
// readers only take deltas around work they waited for.
#include "core/work_counter.h"

#include <atomic>

namespace rrcnn {
namespace work_counter {
namespace {
std::atomic<uint64_t> g_macs{0};
}  // namespace

void add(uint64_t macs) { g_macs.fetch_add(macs, std::memory_order_relaxed); }
uint64_t read() { return g_macs.load(std::memory_order_relaxed); }
void reset() { g_macs.store(0, std::memory_order_relaxed); }

}  // namespace work_counter
}  // namespace rrcnn
