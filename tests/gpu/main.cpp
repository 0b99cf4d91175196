// doctest's main for the GPU suite. doctest cannot skip from inside a running test, so the
// decision is made first, by the probe (gpu/cuda_probe.h): with no NVIDIA driver or no device
// the suite prints why and returns 77, which CTest reports as skipped (SKIP_RETURN_CODE); with a
// driver present, any CUDA failure (a driver too old for the runtime, no kernel image for the
// GPU) fails the suite with the CUDA error's name.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "core/blas_runtime.h"
#include "gpu/cuda_backend.h"
#include "gpu/cuda_probe.h"

int main(int argc, char** argv) {
  rrcnn::select_blas_kernels(argc, argv);  // the CPU reference runs too: give it fast kernels
  const rrcnn::CudaProbe probe = rrcnn::probe_cuda();
  if (probe.nothing_to_test()) {
    std::printf("rrcnn_gpu_tests: skipped (%s): %s\n", rrcnn::cuda_status_name(probe.status),
                probe.detail.c_str());
    return 77;
  }
  if (!probe.ready()) {
    std::printf("rrcnn_gpu_tests: FAILED before the tests (%s): %s\n",
                rrcnn::cuda_status_name(probe.status), probe.detail.c_str());
    return 1;
  }
  try {
    const rrcnn::CudaDeviceInfo info = rrcnn::cuda_device_info(0);
    std::printf("rrcnn_gpu_tests: %s, driver %d, runtime %d\n", info.summary().c_str(),
                info.driver_version, info.runtime_version);
  } catch (const std::exception& e) {
    std::printf("rrcnn_gpu_tests: FAILED: device info: %s\n", e.what());
    return 1;
  }
  doctest::Context context(argc, argv);
  return context.run();
}
