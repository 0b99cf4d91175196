// AVX2 + FMA instance of the CPU kernels (compiled with -mavx2 -mfma): a 6 x 16 register tile,
// 12 accumulators + 2 B vectors + 1 broadcast of the 16 ymm registers (the classic Haswell shape).
#include <immintrin.h>

#include "core/cpu_kernels_impl.h"

namespace rrcnn {
namespace {

struct IsaAvx2 {
  using V = __m256;
  static constexpr int L = 8, R = 6, NV = 2;
  static V zero() { return _mm256_setzero_ps(); }
  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  // The first n < 8 lanes; masked-off lanes are neither read (no fault past a row) nor written.
  static __m256i mask(int n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static V load_part(const float* p, int n) { return _mm256_maskload_ps(p, mask(n)); }
  static void store_part(float* p, V v, int n) { _mm256_maskstore_ps(p, mask(n), v); }
  static V bcast(float x) { return _mm256_set1_ps(x); }
  static V fmadd(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
  static V relu(V x) { return _mm256_max_ps(x, _mm256_setzero_ps()); }
  static V where_positive(V act, V v) {
    return _mm256_and_ps(_mm256_cmp_ps(act, _mm256_setzero_ps(), _CMP_GT_OQ), v);
  }
};

}  // namespace

CpuKernels cpu_kernels_avx2() { return KernelImpl<IsaAvx2>::kernels("avx2"); }

}  // namespace rrcnn
