// Row-major GEMM through column-major cuBLAS.
//
// Derivation. A row-major r x c matrix with leading dimension ld is, read column-major, its
// transpose: a c x r matrix with the same ld. We want, row-major,
//   C (m x n) = op(A) (m x k) * op(B) (k x n).
// Transposing both sides: C^T (n x m) = op(B)^T (n x k) * op(A)^T (k x m), and C^T is exactly
// what cuBLAS sees when it reads our row-major C column-major (n x m, ldc). The buffer of B read
// column-major is B^T; op(B)^T is that buffer as is when B is not transposed (CUBLAS_OP_N) and
// its transpose when it is (CUBLAS_OP_T); likewise for A. So
//   cublasSgemm(opB, opA, n, m, k, alpha, B, ldb, A, lda, beta, C, ldc)
// with opX = trans_x ? CUBLAS_OP_T : CUBLAS_OP_N and the row-major leading dimensions unchanged.
// Leading-dimension check (cuBLAS needs lda >= rows of the first operand as stored): without
// transpose, B is k x n row-major, ldb >= n = rows of B^T; with transpose, B is n x k, ldb >= k.
#include "gpu/gemm_cuda.h"

#include "core/size_limits.h"
#include "gpu/cuda_check.h"

namespace rrcnn {
namespace cuda {

void gemm(cublasHandle_t handle, bool trans_a, bool trans_b, size_t m, size_t n, size_t k,
          float alpha, const float* a, size_t lda, const float* b, size_t ldb, float beta,
          float* c, size_t ldc) {
  if (m == 0 || n == 0) return;
  // Stored rows of each row-major operand: A is m x k (k x m transposed), B k x n (n x k).
  const size_t rows_a = trans_a ? k : m, rows_b = trans_b ? n : k;
  blas_int(rows_a * lda, "gemm: elements of A");
  blas_int(rows_b * ldb, "gemm: elements of B");
  blas_int(m * ldc, "gemm: elements of C");
  RRCNN_CUBLAS_CHECK(cublasSgemm(handle, trans_b ? CUBLAS_OP_T : CUBLAS_OP_N,
                                 trans_a ? CUBLAS_OP_T : CUBLAS_OP_N, blas_int(n, "gemm: n"),
                                 blas_int(m, "gemm: m"), blas_int(k, "gemm: k"), &alpha, b,
                                 blas_int(ldb, "gemm: ldb"), a, blas_int(lda, "gemm: lda"), &beta,
                                 c, blas_int(ldc, "gemm: ldc")));
}

}  // namespace cuda
}  // namespace rrcnn
