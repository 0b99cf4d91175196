// doctest's main for the GPU suite's host part: tests that run on every machine, GPU or not
// (the probe and the fallback paths, the comparison helpers the device tests rely on).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>

#include "core/blas_runtime.h"
#include "gpu/cuda_probe.h"

int main(int argc, char** argv) {
  rrcnn::select_blas_kernels(argc, argv);
  const rrcnn::CudaProbe probe = rrcnn::probe_cuda();
  std::printf("rrcnn_gpu_host_tests: CUDA %s: %s\n", rrcnn::cuda_status_name(probe.status),
              probe.detail.c_str());
  doctest::Context context(argc, argv);
  return context.run();
}
