// The AVX-512 instruction-set trait of cpu_kernels_impl.h, shared by the fp32 and the bf16
// instances. Include only from translation units compiled with -mavx512f -mavx512dq -mavx512vl.
#pragma once

#include <immintrin.h>

namespace rrcnn {
namespace {  // internal linkage, like the kernels that use it

struct IsaAvx512 {
  using V = __m512;
  static constexpr int L = 16, R = 6, NV = 4;
  static V zero() { return _mm512_setzero_ps(); }
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  // The first n < 16 lanes; masked-off lanes are neither read (no fault) nor written.
  static V load_part(const float* p, int n) { return _mm512_maskz_loadu_ps(__mmask16((1u << n) - 1u), p); }
  static void store_part(float* p, V v, int n) { _mm512_mask_storeu_ps(p, __mmask16((1u << n) - 1u), v); }
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
}  // namespace rrcnn
