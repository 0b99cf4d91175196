// doctest's main for the GPU suite. doctest cannot skip from inside a running test, so the
// decision is made first: without a usable CUDA device (or in a build without CUDA) the suite
// prints why and returns 77, which CTest reports as skipped (SKIP_RETURN_CODE).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "core/blas_runtime.h"
#include "gpu/backend_factory.h"
#include "gpu/cuda_backend.h"

int main(int argc, char** argv) {
  rrcnn::select_blas_kernels(argc, argv);  // the CPU reference runs too: give it fast kernels
  std::string why;
  if (!rrcnn::cuda_available(&why)) {
    std::printf("rrcnn_gpu_tests: skipped: %s\n", why.c_str());
    return 77;
  }
  try {
    std::printf("rrcnn_gpu_tests: %s\n", rrcnn::cuda_device_info(0).summary().c_str());
  } catch (const std::exception& e) {
    std::printf("rrcnn_gpu_tests: device info failed: %s\n", e.what());
    return 1;
  }
  doctest::Context context(argc, argv);
  return context.run();
}
