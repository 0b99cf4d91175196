// main of the CUDA-GL interop suite: the GL side is a headless EGL context (egl_context.h).
// Returns 77 (CTest: skipped) when there is no device to test on (as the GPU suite), no OpenGL
// context can be made through EGL, or CUDA cannot register a buffer of that context (an EGL
// driver on another GPU or not NVIDIA's): the interop path is then not exercised, and says why.
// A broken CUDA setup fails, and so does any interop error once one registration has worked. `--gl-only` runs just the GL part
// without CUDA (to check the EGL loader on a machine without a GPU, e.g. with Mesa).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "gpu/cuda_probe.h"
#include "gpu/gl_interop.h"
#include "tests/gpu/egl_context.h"
#include "tests/gpu/interop_env.h"

namespace rrcnn {
namespace test {
EglContext* g_egl = nullptr;
bool g_cuda_ready = false;
}  // namespace test
}  // namespace rrcnn

namespace {
// One small GL buffer registered with CUDA on the display device and released: whether this
// context can take part in interop at all, decided before the tests (which then must pass).
bool registration_works(rrcnn::test::EglContext& egl, std::string* why) {
  const rrcnn::test::GlFunctions& gl = egl.gl;
  unsigned int name = 0;
  gl.GenBuffers(1, &name);
  gl.BindBuffer(rrcnn::test::GlFunctions::kArrayBuffer, name);
  gl.BufferData(rrcnn::test::GlFunctions::kArrayBuffer, 1024, nullptr,
                rrcnn::test::GlFunctions::kDynamicDraw);
  gl.BindBuffer(rrcnn::test::GlFunctions::kArrayBuffer, 0);
  bool ok = false;
  {
    rrcnn::GlInterop interop;
    std::string device_why;
    const int dev = rrcnn::cuda_display_device(&device_why);
    ok = interop.register_buffer(name, dev < 0 ? 0 : dev, why);
    if (!ok && !device_why.empty()) *why += " (display device: " + device_why + ")";
  }  // unregistered before GL deletes the buffer
  gl.DeleteBuffers(1, &name);
  return ok;
}
}  // namespace

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
  if (!gl_only && !registration_works(egl, &why)) {
    std::printf("rrcnn_gpu_interop_tests: skipped: CUDA cannot register a GL buffer of this "
                "context (%s): %s\n", egl.description().c_str(), why.c_str());
    return 77;
  }
  std::printf("rrcnn_gpu_interop_tests: %s; CUDA %s\n", egl.description().c_str(),
              gl_only ? "not used (--gl-only)" : probe.detail.c_str());
  rrcnn::test::g_egl = &egl;
  rrcnn::test::g_cuda_ready = !gl_only && probe.ready();
  doctest::Context context(int(args.size()), args.data());
  return context.run();
}
