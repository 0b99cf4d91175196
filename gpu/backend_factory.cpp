// Backend selection (see backend_factory.h). One file for both builds: with RRCNN_HAVE_CUDA the
// CUDA backend is created when a usable device exists; without it cuda_available() says
// "built without CUDA" and auto falls back to the CPU backend.
#include "gpu/backend_factory.h"

#include "core/cpu_backend.h"
#include "core/error.h"
#include "gpu/cuda_backend.h"

#ifdef RRCNN_HAVE_CUDA
#include <cuda_runtime_api.h>

#include "gpu/ops_cuda.h"
#endif

namespace rrcnn {

bool cuda_available(std::string* why) {
#ifdef RRCNN_HAVE_CUDA
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess || count == 0) {
    cudaGetLastError();
    if (why)
      *why = std::string("no CUDA device: ") +
             (e != cudaSuccess ? cudaGetErrorString(e) : "none found");
    return false;
  }
  // A device exists; can this build's kernels run on it (architecture in the build's list)?
  int current = 0;
  if (cudaGetDevice(&current) != cudaSuccess || cudaSetDevice(current) != cudaSuccess) {
    cudaGetLastError();
    if (why) *why = "no CUDA device: the device cannot be selected";
    return false;
  }
  std::string reason;
  if (!cuda::kernels_loadable(&reason)) {
    if (why) *why = "CUDA device unusable: " + reason;
    return false;
  }
  if (why) why->clear();
  return true;
#else
  if (why) *why = "built without CUDA";
  return false;
#endif
}

std::unique_ptr<Backend> make_backend(BackendKind kind, const ModelConfig& config,
                                      std::string* note) {
  if (note) note->clear();
  if (kind == BackendKind::kCpu) return std::make_unique<CpuBackend>(config);
  std::string why;
  if (kind == BackendKind::kCuda) {
    RRCNN_CHECK(cuda_available(&why), "CUDA backend requested but unavailable: "
                                          << why << " (use --backend cpu or auto)");
    return std::make_unique<CudaBackend>(config);
  }
  // kAuto: CUDA when it works, else the CPU backend, saying why.
  if (cuda_available(&why)) {
    try {
      return std::make_unique<CudaBackend>(config);
    } catch (const Error& e) {
      why = e.what();
    }
  }
  if (note) *note = "CUDA unavailable (" + why + "): using the CPU backend";
  return std::make_unique<CpuBackend>(config);
}

}  // namespace rrcnn
