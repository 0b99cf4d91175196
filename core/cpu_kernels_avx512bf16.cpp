// Reduced-precision instance of the CPU kernels (opt-in, `--precision bf16`): products of bf16
// inputs accumulated in fp32 with AVX512_BF16's vdpbf16ps, which does 32 multiply-adds per
// instruction where an fp32 FMA does 16. Inputs and outputs stay fp32 in memory; each call
// rounds its operands to bf16 (round to nearest even) into per-thread packed copies:
//  - A as bf16 pairs along k (row-major bf16 is exactly that), broadcast one pair at a time;
//  - B interleaved by pairs of k rows, so one 64-byte load holds 16 columns x 2 k.
// The register tile is the fp32 instance's 6 x 64 and the epilogues are the same.
#include <immintrin.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include "core/cpu_isa_avx512.h"
#include "core/cpu_kernels.h"
#include "core/cpu_kernels_impl.h"
#include "core/work_counter.h"

// See cpu_kernels_avx512.cpp: GCC 12's undefined merge operands trip this warning.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace rrcnn {
namespace {

constexpr int kR = 6, kNV = 4, kL = 16;

// Round 16 floats to bf16 (nearest even) as 16-bit integers.
inline __m256i to_bf16(__m512 v) { return (__m256i)_mm512_cvtneps_pbh(v); }

// bf16 of n floats at src (n need not be a multiple of 16) into dst.
void convert_row(const float* src, int n, uint16_t* dst) {
  int i = 0;
  for (; i + 16 <= n; i += 16) _mm256_storeu_si256((__m256i*)(dst + i), to_bf16(_mm512_loadu_ps(src + i)));
  if (i < n) {
    const __mmask16 m = __mmask16((1u << (n - i)) - 1u);
    const __m256i v = to_bf16(_mm512_maskz_loadu_ps(m, src + i));
    _mm256_mask_storeu_epi16(dst + i, m, v);
  }
}

// Interleaves rows r0 and r1 (n floats each, r1 may be null = zeros) into n pairs:
// dst[2j] = bf16(r0[j]), dst[2j+1] = bf16(r1[j]).
void interleave_rows(const float* r0, const float* r1, int n, uint16_t* dst) {
  static const __m512i kIdx = _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8,
                                               23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
  int j = 0;
  for (; j + 16 <= n; j += 16) {
    const __m256i a = to_bf16(_mm512_loadu_ps(r0 + j));
    const __m256i b = r1 ? to_bf16(_mm512_loadu_ps(r1 + j)) : _mm256_setzero_si256();
    const __m512i ab = _mm512_inserti64x4(_mm512_castsi256_si512(a), b, 1);
    _mm512_storeu_si512(dst + 2 * j, _mm512_permutexvar_epi16(kIdx, ab));
  }
  for (; j < n; ++j) {  // tails: through the same vector rounding, one element at a time
    alignas(64) float t[16] = {r0[j], r1 ? r1[j] : 0.0f};
    alignas(32) uint16_t h[16];
    _mm256_store_si256((__m256i*)h, to_bf16(_mm512_load_ps(t)));
    dst[2 * j] = h[0];
    dst[2 * j + 1] = h[1];
  }
}

struct Tile {
  int k2;                  // pairs of k
  const uint32_t* a;       // A pair (r, q) = a[r * a_rs + q * a_cs]
  std::ptrdiff_t a_rs, a_cs;
  const uint16_t* b;       // B pairs of row q, column j: b + (q * ldb + j) * 2
  std::ptrdiff_t ldb;      // columns per packed row
  float* c[kR];
  const float* aux[kR];
  Epilogue epi;
};

template <int RR, int NN>
void tile(const Tile& t) {
  __m512 acc[RR][NN];
  for (int r = 0; r < RR; ++r)
    for (int j = 0; j < NN; ++j) acc[r][j] = _mm512_setzero_ps();
  const uint32_t* a = t.a;
  const uint16_t* b = t.b;
  for (int q = 0; q < t.k2; ++q, a += t.a_cs, b += 2 * t.ldb) {
    __m512bh bv[NN];
#pragma GCC unroll 8
    for (int j = 0; j < NN; ++j) bv[j] = (__m512bh)_mm512_loadu_si512(b + 2 * j * kL);
#pragma GCC unroll 8
    for (int r = 0; r < RR; ++r) {
      const __m512bh av = (__m512bh)_mm512_set1_epi32(int(a[r * t.a_rs]));
#pragma GCC unroll 8
      for (int j = 0; j < NN; ++j) acc[r][j] = _mm512_dpbf16_ps(acc[r][j], av, bv[j]);
    }
  }
  for (int r = 0; r < RR; ++r) {
    float* c = t.c[r];
    if (!c) continue;
    for (int j = 0; j < NN; ++j)
      store_epilogue<IsaAvx512>(t.epi, c + j * kL, acc[r][j], t.aux[r], j * kL);
  }
}

using TileFn = void (*)(const Tile&);
template <std::size_t... Is>
constexpr std::array<TileFn, sizeof...(Is)> make_table(std::index_sequence<Is...>) {
  return {&tile<int(Is / kNV) + 1, int(Is % kNV) + 1>...};
}
constexpr std::array<TileFn, kR * kNV> kTable = make_table(std::make_index_sequence<kR * kNV>());
void run(const Tile& t, int rows, int vectors) { kTable[(rows - 1) * kNV + (vectors - 1)](t); }

// A growable array of bf16 values with internal linkage. Not std::vector<uint16_t>: this file is
// compiled with AVX-512 flags, and the vector's out-of-line members instantiated here would be
// weak symbols the linker may pick for every other file's std::vector<uint16_t> (see
// cpu_kernels_impl.h; CTest isa_symbols checks that this file exports nothing else).
class PackBuffer {
 public:
  PackBuffer() = default;
  PackBuffer(const PackBuffer&) = delete;
  PackBuffer& operator=(const PackBuffer&) = delete;
  ~PackBuffer() { std::free(p_); }
  uint16_t* data() { return p_; }
  const uint16_t* data() const { return p_; }
  // n elements; the first min(n, old size) keep their values, the rest are undefined.
  void resize(size_t n) {
    if (n > capacity_) {
      void* q = std::realloc(p_, n * sizeof(uint16_t));
      if (!q) throw std::bad_alloc();
      p_ = static_cast<uint16_t*>(q);
      capacity_ = n;
    }
  }
  void assign_zeros(size_t n) {
    resize(n);
    if (n) std::memset(p_, 0, n * sizeof(uint16_t));
  }

 private:
  uint16_t* p_ = nullptr;
  size_t capacity_ = 0;
};

// Per-thread packed operands.
struct Packs {
  PackBuffer a, b, tap;
};
Packs& packs() {
  thread_local Packs p;
  return p;
}

// B (k, n) row-major -> (k2, n) pairs.
void pack_b(const float* b, int k, int n, int ldb, PackBuffer& out) {
  const int k2 = (k + 1) / 2;
  out.resize(size_t(k2) * n * 2);
  for (int q = 0; q < k2; ++q)
    interleave_rows(b + size_t(2 * q) * ldb, 2 * q + 1 < k ? b + size_t(2 * q + 1) * ldb : nullptr, n,
                    out.data() + size_t(q) * n * 2);
}

// A (m, k) row-major -> (m, k2) pairs (bf16 row-major with k padded to even).
void pack_a_rows(const float* a, int m, int k, int lda, PackBuffer& out) {
  const int kp = (k + 1) / 2 * 2;
  out.assign_zeros(size_t(m) * kp);
  for (int i = 0; i < m; ++i) convert_row(a + size_t(i) * lda, k, out.data() + size_t(i) * kp);
}

// This instance packs whole vectors: a width it would only half write is refused.
void check_width(const char* what, int n) {
  if (!(n % kL == 0 && n >= 0))
    kernel_check_failed("avx512_bf16", "%s: width %d is not a multiple of %d", what, n, int(kL));
}

void gemm(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c, int ldc,
          Epilogue epi, const float* aux) {
  check_width("gemm", n);
  work_counter::add(uint64_t(m) * n * k);
  Packs& p = packs();
  pack_a_rows(a, m, k, lda, p.a);
  pack_b(b, k, n, ldb, p.b);
  const int k2 = (k + 1) / 2;
  Tile t{};
  t.k2 = k2;
  t.a_rs = k2;
  t.a_cs = 1;
  t.ldb = n;
  t.epi = epi;
  const uint32_t* ap = reinterpret_cast<const uint32_t*>(p.a.data());
  for (int j0 = 0; j0 < n; j0 += kNV * kL) {
    const int nv = (n - j0) / kL < kNV ? (n - j0) / kL : kNV;
    t.b = p.b.data() + size_t(j0) * 2;
    for (int i0 = 0; i0 < m; i0 += kR) {
      const int rr = m - i0 < kR ? m - i0 : kR;
      t.a = ap + size_t(i0) * k2;
      for (int r = 0; r < rr; ++r) {
        t.c[r] = c + std::ptrdiff_t(i0 + r) * ldc + j0;
        t.aux[r] = epi == Epilogue::kReluMask ? aux + std::ptrdiff_t(i0 + r) * ldc + j0 : (aux ? aux + j0 : nullptr);
      }
      run(t, rr, nv);
    }
  }
}

void gemm_at_acc(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c, int ldc) {
  check_width("gemm_at_acc", n);
  work_counter::add(uint64_t(m) * n * k);
  Packs& p = packs();
  pack_b(a, k, m, lda, p.a);  // A^T's pairs: the same interleave of A's rows, width m
  pack_b(b, k, n, ldb, p.b);
  Tile t{};
  t.k2 = (k + 1) / 2;
  t.a_rs = 1;
  t.a_cs = m;
  t.ldb = n;
  t.epi = Epilogue::kAccumulate;
  const uint32_t* ap = reinterpret_cast<const uint32_t*>(p.a.data());
  for (int j0 = 0; j0 < n; j0 += kNV * kL) {
    const int nv = (n - j0) / kL < kNV ? (n - j0) / kL : kNV;
    t.b = p.b.data() + size_t(j0) * 2;
    for (int i0 = 0; i0 < m; i0 += kR) {
      const int rr = m - i0 < kR ? m - i0 : kR;
      t.a = ap + i0;
      for (int r = 0; r < rr; ++r) t.c[r] = c + std::ptrdiff_t(i0 + r) * ldc + j0;
      run(t, rr, nv);
    }
  }
}

void conv_scatter(const ConvScatter& s) {
  check_width("conv_scatter", s.out_width);
  Packs& p = packs();
  pack_a_rows(s.x, s.rows, s.in_width, s.in_width, p.a);
  const int k2 = (s.in_width + 1) / 2;
  const size_t tap_pairs = size_t(k2) * s.out_width * 2;
  p.b.resize(9 * tap_pairs);
  for (int tap = 0; tap < 9; ++tap) {
    pack_b(s.taps + size_t(tap) * s.in_width * s.out_width, s.in_width, s.out_width, s.out_width, p.tap);
    std::memcpy(p.b.data() + tap * tap_pairs, p.tap.data(), tap_pairs * sizeof(uint16_t));
  }
  Tile t{};
  t.k2 = k2;
  t.a_rs = k2;
  t.a_cs = 1;
  t.ldb = s.out_width;
  t.epi = Epilogue::kAccumulate;
  const uint32_t* ap = reinterpret_cast<const uint32_t*>(p.a.data());
  uint64_t macs = 0;
  for (int i0 = 0; i0 < s.rows; i0 += kR) {
    const int rr = s.rows - i0 < kR ? s.rows - i0 : kR;
    int y[kR], x[kR];
    conv_sources(s, i0, rr, y, x);
    t.a = ap + size_t(i0) * k2;
    for (int tap = 0; tap < 9; ++tap) {
      for (int j0 = 0; j0 < s.out_width; j0 += kNV * kL) {
        const int nv = (s.out_width - j0) / kL < kNV ? (s.out_width - j0) / kL : kNV;
        if (!conv_targets(s, y, x, rr, tap, j0, t.c)) continue;
        t.b = p.b.data() + tap * tap_pairs + size_t(j0) * 2;
        run(t, rr, nv);
        macs += uint64_t(rr) * nv * kL * s.in_width;
      }
    }
  }
  work_counter::add(macs);
}

}  // namespace

CpuKernels cpu_kernels_avx512bf16() {
  return CpuKernels{"avx512_bf16", kL, &gemm, &gemm_at_acc, &conv_scatter, kL};
}

}  // namespace rrcnn
