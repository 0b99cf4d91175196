// AVX-512 instance of the CPU kernels (compiled with -mavx512f -mavx512dq -mavx512vl -mfma).
// A 6 x 64 register tile: 24 accumulators + 4 B vectors + 1 broadcast of the 32 zmm registers.
#include <immintrin.h>

// GCC 12's _mm512_max_ps passes _mm512_undefined_ps() as its unused merge source, which
// -Wmaybe-uninitialized reports at every use; the value is never read.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "core/cpu_isa_avx512.h"
#include "core/cpu_kernels_impl.h"

namespace rrcnn {

CpuKernels cpu_kernels_avx512() { return KernelImpl<IsaAvx512>::kernels("avx512"); }

}  // namespace rrcnn
