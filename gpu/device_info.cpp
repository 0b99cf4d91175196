// Device information for the status line and the benchmark (gpu/cuda_backend.h).
#include <cuda_runtime_api.h>

#include <sstream>
#include <string>

#include "core/error.h"
#include "gpu/cuda_backend.h"
#include "gpu/cuda_check.h"

namespace rrcnn {
namespace {

int cores_per_sm(int major, int minor) {
  if (major == 7) return 64;                   // Volta, Turing
  if (major == 8) return minor == 0 ? 64 : 128;  // A100: 64; GA10x, Ada: 128
  if (major >= 9) return 128;                  // Hopper, Blackwell
  return 0;
}

}  // namespace

std::string CudaDeviceInfo::summary() const {
  std::ostringstream os;
  os.precision(3);
  os << name << " (sm " << cc_major << "." << cc_minor << ", " << sm_count << " SMs";
  if (fp32_peak_gflops > 0) os << ", " << fp32_peak_gflops / 1000.0 << " TFLOP/s fp32";
  os << ")";
  return os.str();
}

CudaDeviceInfo cuda_device_info(int device) {
  int count = 0;
  RRCNN_CUDA_CHECK(cudaGetDeviceCount(&count));
  RRCNN_CHECK(device >= 0 && device < count,
              "CUDA device " << device << " does not exist (" << count << " found)");
  cudaDeviceProp prop;
  RRCNN_CUDA_CHECK(cudaGetDeviceProperties(&prop, device));
  CudaDeviceInfo info;
  info.index = device;
  info.name = prop.name;
  info.cc_major = prop.major;
  info.cc_minor = prop.minor;
  info.sm_count = prop.multiProcessorCount;
  info.memory_bytes = prop.totalGlobalMem;
  int clock_khz = 0;  // cudaDeviceProp::clockRate is gone in CUDA 13: ask the attribute
  RRCNN_CUDA_CHECK(cudaDeviceGetAttribute(&clock_khz, cudaDevAttrClockRate, device));
  info.clock_mhz = clock_khz / 1000.0;
  info.cores_per_sm = cores_per_sm(prop.major, prop.minor);
  info.fp32_peak_gflops = 2.0 * info.cores_per_sm * info.sm_count * info.clock_mhz / 1000.0;
  RRCNN_CUDA_CHECK(cudaDriverGetVersion(&info.driver_version));
  RRCNN_CUDA_CHECK(cudaRuntimeGetVersion(&info.runtime_version));
  return info;
}

}  // namespace rrcnn
