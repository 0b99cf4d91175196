// What interop_main.cpp sets up for the interop tests: the current EGL context and whether
// CUDA is there to test with (false under --gl-only).
#pragma once

#include "tests/gpu/egl_context.h"

namespace rrcnn {
namespace test {
extern EglContext* g_egl;
extern bool g_cuda_ready;
}  // namespace test
}  // namespace rrcnn
