// main of the CUDA-GL interop suite: the GL side is a headless EGL context (egl_context.h).
// Returns 77 (CTest: skipped) when there is no device to test on (as the GPU suite) or no OpenGL
// context can be made through EGL; a broken CUDA setup fails. `--gl-only` runs just the GL part
// without CUDA (to check the EGL loader on a machine without a GPU, e.g. with Mesa).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "gpu/cuda_probe.h"
#include "tests/gpu/egl_context.h"
#include "tests/gpu/interop_env.h"

namespace rrcnn {
namespace test {
EglContext* g_egl = nullptr;
bool g_cuda_ready = false;
}  // namespace test
}  // namespace rrcnn

int main(int argc, char** argv) {
  std::vector<char*> args;
  bool gl_only = false;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--gl-only") == 0)
      gl_only = true;
    else
      args.push_back(argv[i]);
  }
  const rrcnn::CudaProbe probe = rrcnn::probe_cuda();
  if (!gl_only && probe.nothing_to_test()) {
    std::printf("rrcnn_gpu_interop_tests: skipped (%s): %s\n",
                rrcnn::cuda_status_name(probe.status), probe.detail.c_str());
    return 77;
  }
  if (!gl_only && !probe.ready()) {
    std::printf("rrcnn_gpu_interop_tests: FAILED before the tests (%s): %s\n",
                rrcnn::cuda_status_name(probe.status), probe.detail.c_str());
    return 1;
  }
  static rrcnn::test::EglContext egl;
  std::string why;
  if (!egl.create(&why)) {
    std::printf("rrcnn_gpu_interop_tests: skipped: no OpenGL context through EGL: %s\n", why.c_str());
    return 77;
  }
  std::printf("rrcnn_gpu_interop_tests: %s; CUDA %s\n", egl.description().c_str(),
              gl_only ? "not used (--gl-only)" : probe.detail.c_str());
  rrcnn::test::g_egl = &egl;
  rrcnn::test::g_cuda_ready = !gl_only && probe.ready();
  doctest::Context context(int(args.size()), args.data());
  return context.run();
}
