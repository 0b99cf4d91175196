// GEMM: a BLAS when available, else loops ordered so the inner loop runs over contiguous memory
// (the compiler vectorises it), split over rows of C by parallel_for.
#include "core/gemm.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/parallel.h"
#include "core/work_counter.h"

#ifdef RRCNN_HAVE_CBLAS
#include <cblas.h>
#endif

namespace rrcnn {

template <typename T>
void gemm_portable(bool trans_a, bool trans_b, int m, int n, int k, T alpha, const T* a, int lda,
                   const T* b, int ldb, T beta, T* c, int ldc) {
  const size_t work = size_t(m) * n * std::max(k, 1);
  const size_t min_rows = std::max<size_t>(1, 32768 / std::max<size_t>(1, work / std::max(m, 1)));
  parallel_for(size_t(m), min_rows, [&](size_t r0, size_t r1) {
    std::vector<T> acc(n);
    for (size_t i = r0; i < r1; ++i) {
      T* ci = c + i * ldc;
      if (!trans_b) {
        // acc[j] = sum_p A(i,p) * B(p,j): axpy over contiguous rows of B.
        std::fill(acc.begin(), acc.end(), T(0));
        for (int p = 0; p < k; ++p) {
          const T aip = trans_a ? a[size_t(p) * lda + i] : a[i * lda + p];
          if (aip == T(0)) continue;
          const T* bp = b + size_t(p) * ldb;
          for (int j = 0; j < n; ++j) acc[j] += aip * bp[j];
        }
      } else {
        // acc[j] = dot(A row i, B row j): both contiguous when A is not transposed.
        for (int j = 0; j < n; ++j) {
          const T* bj = b + size_t(j) * ldb;
          T s = 0;
          if (!trans_a) {
            const T* ai = a + i * lda;
            for (int p = 0; p < k; ++p) s += ai[p] * bj[p];
          } else {
            for (int p = 0; p < k; ++p) s += a[size_t(p) * lda + i] * bj[p];
          }
          acc[j] = s;
        }
      }
      for (int j = 0; j < n; ++j)
        ci[j] = (beta == T(0) ? T(0) : beta * ci[j]) + alpha * acc[j];
    }
  });
}

template <>
void gemm<double>(bool ta, bool tb, int m, int n, int k, double alpha, const double* a, int lda,
                  const double* b, int ldb, double beta, double* c, int ldc) {
  gemm_portable<double>(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

template <>
void gemm<float>(bool ta, bool tb, int m, int n, int k, float alpha, const float* a, int lda,
                 const float* b, int ldb, float beta, float* c, int ldc) {
  if (m == 0 || n == 0) return;
  work_counter::add(uint64_t(m) * uint64_t(n) * uint64_t(k));
#ifdef RRCNN_HAVE_CBLAS
#ifdef RRCNN_HAVE_OPENBLAS
  // Our own threads split the rows of C and each calls a single-threaded OpenBLAS: the shapes
  // here (thousands of rows, 64-576 columns) gain little from OpenBLAS's threading, while its
  // workers' spin-waits compete with ours for the cores between calls.
  static const bool single = [] {
    openblas_set_num_threads(1);
    return true;
  }();
  (void)single;
#endif
  auto call = [&](int r0, int r1) {
    const float* ar = ta ? a + r0 : a + size_t(r0) * lda;
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                r1 - r0, n, k, alpha, ar, lda, b, ldb, beta, c + size_t(r0) * ldc, ldc);
  };
  const double flops = 2.0 * m * n * k;
  const int threads = num_threads();
  if (threads > 1 && flops > 4e6 && m >= 2 * threads) {
    // Row blocks that are multiples of 16 keep OpenBLAS's micro-kernel tiles whole.
    const size_t per = ((size_t(m) + threads - 1) / threads + 15) / 16 * 16;
    parallel_for(size_t(threads), 1, [&](size_t t0, size_t t1) {
      for (size_t t = t0; t < t1; ++t) {
        const size_t r0 = t * per, r1 = std::min(size_t(m), r0 + per);
        if (r0 < r1) call(int(r0), int(r1));
      }
    });
  } else {
    call(0, m);
  }
#else
  gemm_portable<float>(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
#endif
}

template void gemm_portable<float>(bool, bool, int, int, int, float, const float*, int,
                                   const float*, int, float, float*, int);
template void gemm_portable<double>(bool, bool, int, int, int, double, const double*, int,
                                    const double*, int, double, double*, int);

const char* gemm_library() {
#if defined(RRCNN_HAVE_OPENBLAS)
  return "openblas";
#elif defined(RRCNN_HAVE_CBLAS)
  return "cblas";
#else
  return "portable";
#endif
}

}  // namespace rrcnn
