// A small fixed thread pool for the CPU backend's loops ("using both cores"). One pool per
// process; parallel_for splits [0, n) into contiguous chunks so results never depend on
// scheduling (each index is computed by exactly one thread, with no cross-thread reductions).
#pragma once

#include <cstddef>
#include <functional>

namespace rrcnn {

// Calls fn(begin, end) on disjoint chunks covering [0, n), on up to num_threads() threads.
// Runs inline when n is small or when called from inside a pool task.
void parallel_for(size_t n, size_t min_chunk, const std::function<void(size_t, size_t)>& fn);

int num_threads();
// 0 = hardware concurrency. Takes effect for later calls.
void set_num_threads(int n);

}  // namespace rrcnn
