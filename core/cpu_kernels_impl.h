// The kernels of cpu_kernels.h written once over an instruction-set trait `I` (vector type V of
// I::L floats, load/store/broadcast/fma/relu). Included only by the per-ISA translation units,
// which are compiled with the matching -m flags. A register tile of R rows x NV vectors is
// accumulated over the whole k range (k <= a few hundred here, so no k blocking is needed:
// B's column block stays in L1) and then handed to the epilogue.
// Any width: a column block narrower than a whole vector (n not a multiple of I::L) runs a tail
// tile whose last vector is loaded and stored with masks (I::load_part / I::store_part, which
// touch only the first `lanes` floats), so odd widths keep the vector speed instead of falling
// back to the scalar instance. Full tiles run the same code as before.
// One copy per instruction set: everything here has internal linkage (the helpers sit in an
// anonymous namespace, KernelImpl<I> is internal through its anonymous-namespace trait I), so
// an AVX-512 translation unit's copy can never be the one the linker keeps for code that runs
// on every processor. The same holds for whatever an ISA file instantiates itself (no
// std::vector<T> members there); CTest isa_symbols checks that these files export nothing but
// their cpu_kernels_<isa>() entry point (docs/architecture.md, "CPU kernels").
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "core/cpu_kernels.h"
#include "core/work_counter.h"

namespace rrcnn {
namespace {  // internal linkage: each ISA's translation unit keeps its own copy

// Grid coordinates of the scatter's source rows i0 .. i0 + rr - 1.
inline void conv_sources(const ConvScatter& s, int i0, int rr, int* y, int* x) {
  for (int r = 0; r < rr; ++r) {
    y[r] = int(s.cells[i0 + r] / uint32_t(s.width));
    x[r] = int(s.cells[i0 + r] % uint32_t(s.width));
  }
}

// Destination rows of one scatter tile for `tap` and output column j0: c[r] is the row the
// tap's target of source r starts at, or null when that target is outside the grid. Returns
// whether any target is inside.
inline bool conv_targets(const ConvScatter& s, const int* y, const int* x, int rr, int tap, int j0,
                         float** c) {
  const int dy = s.offset[tap][0], dx = s.offset[tap][1];
  bool any = false;
  for (int r = 0; r < rr; ++r) {
    const int ty = y[r] + dy, tx = x[r] + dx;
    const bool inside = ty >= 0 && ty < s.height && tx >= 0 && tx < s.width;
    c[r] = inside ? s.out + (std::ptrdiff_t(ty) * s.width + tx) * s.out_width + j0 : nullptr;
    any = any || inside;
  }
  return any;
}

// The fused epilogue of one vector of results at d (aux row x, read at x + off where the
// epilogue needs it): the one definition every instance, fp32 and bf16, stores through.
template <class I>
inline void store_epilogue(Epilogue epi, float* d, typename I::V v, const float* x, int off) {
  switch (epi) {
    case Epilogue::kStore: I::store(d, v); break;
    case Epilogue::kBias: I::store(d, I::add(v, I::load(x + off))); break;
    case Epilogue::kBiasRelu: I::store(d, I::relu(I::add(v, I::load(x + off)))); break;
    case Epilogue::kReluMask: I::store(d, I::where_positive(I::load(x + off), v)); break;
    case Epilogue::kAccumulate: I::store(d, I::add(I::load(d), v)); break;
  }
}

// store_epilogue on the first `n` lanes only (the tail vector of a row): nothing at or after
// d + n or x + off + n is read or written.
template <class I>
inline void store_epilogue_part(Epilogue epi, float* d, typename I::V v, const float* x, int off,
                                int n) {
  switch (epi) {
    case Epilogue::kStore: I::store_part(d, v, n); break;
    case Epilogue::kBias: I::store_part(d, I::add(v, I::load_part(x + off, n)), n); break;
    case Epilogue::kBiasRelu: I::store_part(d, I::relu(I::add(v, I::load_part(x + off, n))), n); break;
    case Epilogue::kReluMask: I::store_part(d, I::where_positive(I::load_part(x + off, n), v), n); break;
    case Epilogue::kAccumulate: I::store_part(d, I::add(I::load_part(d, n), v), n); break;
  }
}

// The checks every entry makes once per call (cheap against the m x n x k work): a width the
// kernel is not given in full would leave columns unwritten or read past a row.
inline void check_product(const char* isa, const char* what, int m, int n, int k, int lda_min,
                          int lda, int ldb, int ldc) {
  if (!(m >= 0 && n >= 0 && k >= 0))
    kernel_check_failed(isa, "%s: negative size %dx%dx%d", what, m, n, k);
  if (!(lda >= lda_min && ldb >= n && ldc >= n))
    kernel_check_failed(isa, "%s: row strides %d, %d, %d are shorter than the rows (%d, %d, %d)", what,
                        lda, ldb, ldc, lda_min, n, n);
}

}  // namespace

template <class I>
struct KernelImpl {
  using V = typename I::V;
  static constexpr int L = I::L, R = I::R, NV = I::NV;

  struct Tile {
    int k;
    const float* a;          // A(r, p) = a[r * a_rs + p * a_cs]
    std::ptrdiff_t a_rs, a_cs;
    const float* b;          // B(p, j) = b[p * ldb + j]
    std::ptrdiff_t ldb;
    float* c[R];             // destination row pointers; nullptr: row not stored
    const float* aux[R];     // epilogue's operand per row (bias: the same for every row)
    Epilogue epi;
    int tail;                // lanes of the last vector that are inside the matrix (1..L)
  };

  // TAIL: the last of the NN vectors holds t.tail < L columns (masked loads and stores).
  template <int RR, int NN, bool TAIL>
  static void tile(const Tile& t) {
    V acc[RR][NN];
    for (int r = 0; r < RR; ++r)
      for (int j = 0; j < NN; ++j) acc[r][j] = I::zero();
    const float* a = t.a;
    const float* b = t.b;
    for (int p = 0; p < t.k; ++p, a += t.a_cs, b += t.ldb) {
      V bv[NN];
#pragma GCC unroll 8
      for (int j = 0; j < NN; ++j)
        bv[j] = TAIL && j == NN - 1 ? I::load_part(b + j * L, t.tail) : I::load(b + j * L);
#pragma GCC unroll 8
      for (int r = 0; r < RR; ++r) {
        const V av = I::bcast(a[r * t.a_rs]);
#pragma GCC unroll 8
        for (int j = 0; j < NN; ++j) acc[r][j] = I::fmadd(av, bv[j], acc[r][j]);
      }
    }
    for (int r = 0; r < RR; ++r) {
      float* c = t.c[r];
      if (!c) continue;
      const float* x = t.aux[r];
      for (int j = 0; j < NN; ++j) {
        if (TAIL && j == NN - 1)
          store_epilogue_part<I>(t.epi, c + j * L, acc[r][j], x, j * L, t.tail);
        else
          store_epilogue<I>(t.epi, c + j * L, acc[r][j], x, j * L);
      }
    }
  }

  using TileFn = void (*)(const Tile&);
  template <bool TAIL, std::size_t... Is>
  static constexpr std::array<TileFn, sizeof...(Is)> make_table(std::index_sequence<Is...>) {
    return {&tile<int(Is / NV) + 1, int(Is % NV) + 1, TAIL>...};
  }
  // table[(rows - 1) * NV + (vectors - 1)]: every partial tile has its own unrolled code.
  static constexpr std::array<TileFn, R * NV> kTable =
      make_table<false>(std::make_index_sequence<R * NV>());
  static constexpr std::array<TileFn, R * NV> kTailTable =
      make_table<true>(std::make_index_sequence<R * NV>());
  static void run(const Tile& t, int rows, int vectors) {
    (t.tail == L ? kTable : kTailTable)[(rows - 1) * NV + (vectors - 1)](t);
  }
  // Vectors and tail lanes of the column block starting at j0 of n columns.
  static void column_block(int n, int j0, int* vectors, int* tail) {
    const int left = n - j0;
    if (left >= NV * L) {
      *vectors = NV;
      *tail = L;
    } else {
      *vectors = (left + L - 1) / L;
      *tail = left - (*vectors - 1) * L;
    }
  }

  static void gemm(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c,
                   int ldc, Epilogue epi, const float* aux) {
    check_product(isa_name, "gemm", m, n, k, k, lda, ldb, ldc);
    if (!(epi == Epilogue::kStore || epi == Epilogue::kAccumulate || aux))
      kernel_check_failed(isa_name, "gemm: the epilogue needs its operand");
    work_counter::add(uint64_t(m) * n * k);
    Tile t{};
    t.k = k;
    t.a_rs = lda;
    t.a_cs = 1;
    t.ldb = ldb;
    t.epi = epi;
    for (int j0 = 0; j0 < n; j0 += NV * L) {
      int nv;
      column_block(n, j0, &nv, &t.tail);
      t.b = b + j0;
      for (int i0 = 0; i0 < m; i0 += R) {
        const int rr = m - i0 < R ? m - i0 : R;
        t.a = a + std::ptrdiff_t(i0) * lda;
        for (int r = 0; r < rr; ++r) {
          t.c[r] = c + std::ptrdiff_t(i0 + r) * ldc + j0;
          t.aux[r] = epi == Epilogue::kReluMask ? aux + std::ptrdiff_t(i0 + r) * ldc + j0
                                                : (aux ? aux + j0 : nullptr);
        }
        run(t, rr, nv);
      }
    }
  }

  static void gemm_at_acc(int m, int n, int k, const float* a, int lda, const float* b, int ldb,
                          float* c, int ldc) {
    check_product(isa_name, "gemm_at_acc", m, n, k, m, lda, ldb, ldc);
    work_counter::add(uint64_t(m) * n * k);
    Tile t{};
    t.k = k;
    t.a_rs = 1;
    t.a_cs = lda;
    t.ldb = ldb;
    t.epi = Epilogue::kAccumulate;
    for (int j0 = 0; j0 < n; j0 += NV * L) {
      int nv;
      column_block(n, j0, &nv, &t.tail);
      t.b = b + j0;
      for (int i0 = 0; i0 < m; i0 += R) {
        const int rr = m - i0 < R ? m - i0 : R;
        t.a = a + i0;
        for (int r = 0; r < rr; ++r) t.c[r] = c + std::ptrdiff_t(i0 + r) * ldc + j0;
        run(t, rr, nv);
      }
    }
  }

  static void conv_scatter(const ConvScatter& s) {
    if (!(s.in_width >= 1 && s.out_width >= 1 && s.rows >= 0 && s.height >= 1 && s.width >= 1))
      kernel_check_failed(isa_name, "conv_scatter: bad sizes %d rows, %d -> %d", s.rows, s.in_width,
                          s.out_width);
    Tile t{};
    t.k = s.in_width;
    t.a_rs = s.in_width;
    t.a_cs = 1;
    t.ldb = s.out_width;
    t.epi = Epilogue::kAccumulate;
    const std::ptrdiff_t tap_size = std::ptrdiff_t(s.in_width) * s.out_width;
    uint64_t macs = 0;  // tiles run (taps falling wholly outside the grid are skipped)
    for (int i0 = 0; i0 < s.rows; i0 += R) {
      const int rr = s.rows - i0 < R ? s.rows - i0 : R;
      int y[R], x[R];
      conv_sources(s, i0, rr, y, x);
      t.a = s.x + std::ptrdiff_t(i0) * s.in_width;
      for (int tap = 0; tap < 9; ++tap) {
        for (int j0 = 0; j0 < s.out_width; j0 += NV * L) {
          int nv;
          column_block(s.out_width, j0, &nv, &t.tail);
          if (!conv_targets(s, y, x, rr, tap, j0, t.c)) continue;
          t.b = s.taps + tap * tap_size + j0;
          run(t, rr, nv);
          macs += uint64_t(rr) * ((nv - 1) * L + t.tail) * s.in_width;
        }
      }
    }
    work_counter::add(macs);
  }

  static inline const char* isa_name = "?";
  static CpuKernels kernels(const char* isa) {
    isa_name = isa;
    return CpuKernels{isa, L, &gemm, &gemm_at_acc, &conv_scatter, 1};
  }
};

}  // namespace rrcnn
