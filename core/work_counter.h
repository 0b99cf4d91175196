// A process-wide count of the multiply-accumulates the CPU kernels actually performed, so
// `rrcnn bench` can report the fraction of the machine's peak reached on the arithmetic done
// (kept cells only, skipped work not counted) beside the model's work-equivalent rate.
// Kernels add once per call (a relaxed atomic add: cheap next to any kernel worth counting).
#pragma once

#include <cstdint>

namespace rrcnn {
namespace work_counter {

void add(uint64_t macs);  // thread-safe
uint64_t read();
void reset();

}  // namespace work_counter
}  // namespace rrcnn
