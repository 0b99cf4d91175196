// Error checks for the CUDA runtime and cuBLAS (internal to gpu/: includes CUDA headers).
// Every failing call throws rrcnn::Error with the statement text, the CUDA error name and
// string, and file:line. Kernel launches are followed by RRCNN_LAUNCH_CHECK(). Destructors never
// throw: they report through rrcnn_cuda_log_error and carry on.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <cstdio>
#include <string>

#include "core/error.h"

namespace rrcnn {

[[noreturn]] inline void cuda_fail(const char* stmt, cudaError_t e, const char* file, int line) {
  throw_error(file, line,
              std::string("CUDA error ") + cudaGetErrorName(e) + " (" + cudaGetErrorString(e) +
                  ") in `" + stmt + "`");
}

[[noreturn]] inline void cublas_fail(const char* stmt, cublasStatus_t s, const char* file,
                                     int line) {
  throw_error(file, line,
              std::string("cuBLAS error ") + cublasGetStatusName(s) + " (" +
                  cublasGetStatusString(s) + ") in `" + stmt + "`");
}

// For destructors and other places that must not throw: one line on stderr.
inline void cuda_log_error(const char* what, cudaError_t e) {
  if (e != cudaSuccess)
    std::fprintf(stderr, "rrcnn: warning: %s failed: %s (%s)\n", what, cudaGetErrorName(e),
                 cudaGetErrorString(e));
}

}  // namespace rrcnn

#define RRCNN_CUDA_CHECK(stmt)                                          \
  do {                                                                  \
    const cudaError_t rrcnn_cuda_err_ = (stmt);                         \
    if (rrcnn_cuda_err_ != cudaSuccess)                                 \
      ::rrcnn::cuda_fail(#stmt, rrcnn_cuda_err_, __FILE__, __LINE__);   \
  } while (0)

#define RRCNN_CUBLAS_CHECK(stmt)                                          \
  do {                                                                    \
    const cublasStatus_t rrcnn_cublas_st_ = (stmt);                       \
    if (rrcnn_cublas_st_ != CUBLAS_STATUS_SUCCESS)                        \
      ::rrcnn::cublas_fail(#stmt, rrcnn_cublas_st_, __FILE__, __LINE__);  \
  } while (0)

// After every kernel launch: catches bad launch configurations at once (and, during stream
// capture, errors of the capture itself). Clears the non-sticky error it reports.
#define RRCNN_LAUNCH_CHECK() RRCNN_CUDA_CHECK(cudaGetLastError())

// Destructor-safe variant: logs instead of throwing.
#define RRCNN_CUDA_LOG(stmt) ::rrcnn::cuda_log_error(#stmt, (stmt))
