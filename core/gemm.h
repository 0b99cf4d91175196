// Row-major matrix multiply of the clear path: the reference ops (ops.h) and Model<T>
// (reference/model.h), and `rrcnn bench`'s fp32 peak. The CPU backend's own products are the
// fused kernels of cpu_kernels.h. C = alpha * op(A) * op(B) + beta * C, op = transpose when set.
// float goes to a BLAS (cblas_sgemm) when the build found one, otherwise, like double (used by
// the finite-difference checks), to the portable loops in gemm.cpp.
#pragma once

namespace rrcnn {

template <typename T>
void gemm(bool trans_a, bool trans_b, int m, int n, int k, T alpha, const T* a, int lda,
          const T* b, int ldb, T beta, T* c, int ldc);

// The portable loops, exposed so tests can compare the BLAS path against them.
template <typename T>
void gemm_portable(bool trans_a, bool trans_b, int m, int n, int k, T alpha, const T* a, int lda,
                   const T* b, int ldb, T beta, T* c, int ldc);

// "openblas", "cblas" or "portable": reported by `rrcnn bench` and the status line.
const char* gemm_library();

}  // namespace rrcnn
