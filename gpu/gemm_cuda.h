// Row-major SGEMM on cuBLAS (internal to gpu/): the same signature as core/gemm.h's gemm, so
// every product in model_cuda.cpp reads exactly like its CPU twin in core/ops.cpp.
#pragma once

#include <cublas_v2.h>

namespace rrcnn {
namespace cuda {

// C = alpha * op(A) * op(B) + beta * C with row-major A, B, C (op = transpose when the flag is
// set); m x n result, inner dimension k. Enqueued on the handle's stream.
void gemm(cublasHandle_t handle, bool trans_a, bool trans_b, int m, int n, int k, float alpha,
          const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc);

}  // namespace cuda
}  // namespace rrcnn
