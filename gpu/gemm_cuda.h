// Row-major SGEMM on cuBLAS (internal to gpu/): the same signature as core/gemm.h's gemm, so
// every product in model_cuda.cpp reads exactly like its CPU twin in core/ops.cpp.
#pragma once

#include <cstddef>
#include <cublas_v2.h>

namespace rrcnn {
namespace cuda {

// C = alpha * op(A) * op(B) + beta * C with row-major A, B, C (op = transpose when the flag is
// set); m x n result, inner dimension k. Enqueued on the handle's stream. Sizes are checked
// before they reach cuBLAS's 32-bit ints: every dimension, leading dimension and matrix element
// count must fit, else rrcnn::Error (Backend refuses such batches earlier, core/size_limits.h).
void gemm(cublasHandle_t handle, bool trans_a, bool trans_b, size_t m, size_t n, size_t k,
          float alpha, const float* a, size_t lda, const float* b, size_t ldb, float beta,
          float* c, size_t ldc);

}  // namespace cuda
}  // namespace rrcnn
