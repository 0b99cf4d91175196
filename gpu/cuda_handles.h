// RAII owners of CUDA runtime and cuBLAS handles (internal to gpu/): stream, event, graph
// executable, cuBLAS handle, GL graphics resource. Each creates in its constructor (or create())
// and releases in its destructor; destructors log failures instead of throwing.
#pragma once

#include <cstdio>
#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <utility>

#include "gpu/cuda_check.h"

namespace rrcnn {

// Moves a raw handle out of `other`, leaving it empty.
template <typename H>
H take_handle(H& other) {
  return std::exchange(other, H{});
}

class CudaStream {
 public:
  CudaStream() {
    // Non-blocking: never serialised with the legacy default stream other code may use.
    RRCNN_CUDA_CHECK(cudaStreamCreateWithFlags(&s_, cudaStreamNonBlocking));
  }
  ~CudaStream() {
    if (s_) RRCNN_CUDA_LOG(cudaStreamDestroy(s_));
  }
  CudaStream(const CudaStream&) = delete;
  CudaStream& operator=(const CudaStream&) = delete;
  cudaStream_t get() const { return s_; }

 private:
  cudaStream_t s_ = nullptr;
};

class CudaEvent {
 public:
  explicit CudaEvent(unsigned flags = cudaEventDisableTiming) {
    RRCNN_CUDA_CHECK(cudaEventCreateWithFlags(&e_, flags));
  }
  ~CudaEvent() {
    if (e_) RRCNN_CUDA_LOG(cudaEventDestroy(e_));
  }
  CudaEvent(const CudaEvent&) = delete;
  CudaEvent& operator=(const CudaEvent&) = delete;
  cudaEvent_t get() const { return e_; }

 private:
  cudaEvent_t e_ = nullptr;
};

// An instantiated CUDA graph; empty until reset() hands it one.
class CudaGraphExec {
 public:
  CudaGraphExec() = default;
  ~CudaGraphExec() { reset(); }
  CudaGraphExec(const CudaGraphExec&) = delete;
  CudaGraphExec& operator=(const CudaGraphExec&) = delete;
  CudaGraphExec(CudaGraphExec&& o) noexcept : g_(take_handle(o.g_)) {}

  void reset(cudaGraphExec_t g = nullptr) {
    if (g_) RRCNN_CUDA_LOG(cudaGraphExecDestroy(g_));
    g_ = g;
  }
  cudaGraphExec_t get() const { return g_; }
  explicit operator bool() const { return g_ != nullptr; }

 private:
  cudaGraphExec_t g_ = nullptr;
};

// A captured (not yet instantiated) graph, only held between capture and instantiation.
class CudaGraph {
 public:
  CudaGraph() = default;
  ~CudaGraph() {
    if (g_) RRCNN_CUDA_LOG(cudaGraphDestroy(g_));
  }
  CudaGraph(const CudaGraph&) = delete;
  CudaGraph& operator=(const CudaGraph&) = delete;
  cudaGraph_t* out() { return &g_; }
  cudaGraph_t get() const { return g_; }

 private:
  cudaGraph_t g_ = nullptr;
};

class CublasHandle {
 public:
  CublasHandle() { RRCNN_CUBLAS_CHECK(cublasCreate(&h_)); }
  ~CublasHandle() {
    if (h_) {
      const cublasStatus_t s = cublasDestroy(h_);
      if (s != CUBLAS_STATUS_SUCCESS)
        std::fprintf(stderr, "rrcnn: warning: cublasDestroy failed: %s\n", cublasGetStatusName(s));
    }
  }
  CublasHandle(const CublasHandle&) = delete;
  CublasHandle& operator=(const CublasHandle&) = delete;
  cublasHandle_t get() const { return h_; }

 private:
  cublasHandle_t h_ = nullptr;
};

// A registered GL object (buffer or texture). Unregistering needs the GL context current, as
// registering did; the interop wrapper destroys it while the app's context still exists.
class GraphicsResource {
 public:
  GraphicsResource() = default;
  ~GraphicsResource() { reset(); }
  GraphicsResource(const GraphicsResource&) = delete;
  GraphicsResource& operator=(const GraphicsResource&) = delete;

  void reset(cudaGraphicsResource_t r = nullptr) {
    if (r_) RRCNN_CUDA_LOG(cudaGraphicsUnregisterResource(r_));
    r_ = r;
  }
  cudaGraphicsResource_t get() const { return r_; }
  cudaGraphicsResource_t* ptr() { return &r_; }
  explicit operator bool() const { return r_ != nullptr; }

 private:
  cudaGraphicsResource_t r_ = nullptr;
};

}  // namespace rrcnn
