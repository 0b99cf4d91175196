// AVX-512 instance of the CPU kernels (compiled with -mavx512f -mavx512dq -mavx512vl -mfma).
// A 6 x 64 register tile: 24 accumulators + 4 B vectors + 1 broadcast of the 32 zmm registers.
#include <immintrin.h>

// GCC 12's _mm512_max_ps passes _mm512_undefined_ps() as its unused merge source, which
// -Wmaybe-uninitialized reports at every use; the value is never read.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "core/cpu_kernels_impl.h"

namespace rrcnn {
namespace {

struct IsaAvx512 {
  using V = __m512;
  static constexpr int L = 16, R = 6, NV = 4;
  static V zero() { return _mm512_setzero_ps(); }
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  static V bcast(float x) { return _mm512_set1_ps(x); }
  static V fmadd(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  // relu(x) = x > 0 ? x : 0 (NaN -> 0, as the scalar formula): max returns its second operand
  // when the first is NaN.
  static V relu(V x) { return _mm512_max_ps(x, _mm512_setzero_ps()); }
  static V where_positive(V act, V v) {
    return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(act, _mm512_setzero_ps(), _CMP_GT_OQ), v);
  }
};

}  // namespace

CpuKernels cpu_kernels_avx512() { return KernelImpl<IsaAvx512>::kernels("avx512"); }

}  // namespace rrcnn
