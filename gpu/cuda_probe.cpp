// The CUDA probe of a CUDA build (see cuda_probe.h). The runtime answers
// cudaErrorInsufficientDriver both when libcuda.so.1 is missing (a machine without a GPU, where
// skipping is right) and when a real driver is older than the runtime (a broken GPU machine,
// where skipping would hide the failure): whether libcuda.so.1 loads tells the two apart.
#include "gpu/cuda_probe.h"

#include <cuda_runtime_api.h>
#include <dlfcn.h>

#include "gpu/ops_cuda.h"

namespace rrcnn {
namespace {

std::string cuda_error_text(cudaError_t e) {
  return std::string(cudaGetErrorName(e)) + " (" + cudaGetErrorString(e) + ")";
}

// Whether the driver library loads; `why` gets dlerror() when not. The handle stays open: the
// runtime loads the same library anyway, and unloading a driver is never worth the risk.
bool driver_library_loads(std::string* why) {
  if (dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL)) return true;
  const char* err = dlerror();
  *why = err ? err : "libcuda.so.1 not found";
  return false;
}

}  // namespace

CudaProbe probe_cuda() {
  CudaProbe p;
  std::string dl_why;
  const bool driver = driver_library_loads(&dl_why);
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) cudaGetLastError();
  if (!driver || e == cudaErrorStubLibrary) {
    p.status = CudaStatus::kNoDriver;
    p.detail = "no NVIDIA driver (" + (driver ? std::string("libcuda.so.1 is the toolkit's stub")
                                              : "libcuda.so.1 does not load: " + dl_why) +
               "; CUDA says " + cuda_error_text(e) + ")";
    return p;
  }
  if (e == cudaErrorNoDevice || (e == cudaSuccess && count == 0)) {
    p.status = CudaStatus::kNoDevice;
    p.detail = "the NVIDIA driver reports no CUDA device (" +
               (e == cudaSuccess ? std::string("0 devices") : cuda_error_text(e)) +
               "; CUDA_VISIBLE_DEVICES may hide them)";
    return p;
  }
  if (e != cudaSuccess) {
    p.status = CudaStatus::kBroken;
    p.detail = "the NVIDIA driver is present but CUDA fails: " + cuda_error_text(e);
    return p;
  }
  cudaDeviceProp prop;
  cudaError_t d = cudaSetDevice(0);
  if (d == cudaSuccess) d = cudaGetDeviceProperties(&prop, 0);
  if (d != cudaSuccess) {
    cudaGetLastError();
    p.status = CudaStatus::kBroken;
    p.detail = "CUDA device 0 cannot be used: " + cuda_error_text(d);
    return p;
  }
  std::string why;
  if (!cuda::kernels_loadable(&why)) {
    p.status = CudaStatus::kBroken;
    p.detail = std::string(prop.name) + " (sm " + std::to_string(prop.major) + "." +
               std::to_string(prop.minor) + "): " + why;
    return p;
  }
  p.status = CudaStatus::kReady;
  p.detail = std::string(prop.name) + " (sm " + std::to_string(prop.major) + "." +
             std::to_string(prop.minor) + ", " + std::to_string(count) + " device" +
             (count == 1 ? "" : "s") + ")";
  return p;
}

}  // namespace rrcnn
