// See blas_runtime.h for why a process may re-execute itself.
#include "core/blas_runtime.h"

#include <unistd.h>

#include <cstdlib>

namespace rrcnn {

void select_blas_kernels(int argc, char** argv) {
  (void)argc;
#if defined(RRCNN_HAVE_OPENBLAS) && (defined(__x86_64__) || defined(__i386__))
  if (std::getenv("OPENBLAS_CORETYPE") || std::getenv("RRCNN_NO_BLAS_REEXEC")) return;
  __builtin_cpu_init();
  const char* core = nullptr;
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq"))
    core = "SkylakeX";
  else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    core = "Haswell";
  if (!core) return;
  // Marks the re-executed process so a failing exec can never loop.
  setenv("RRCNN_NO_BLAS_REEXEC", "1", 1);
  setenv("OPENBLAS_CORETYPE", core, 1);
  execv("/proc/self/exe", argv);
  // exec failed (no /proc): carry on with whatever kernels OpenBLAS chose.
  unsetenv("OPENBLAS_CORETYPE");
#else
  (void)argv;
#endif
}

}  // namespace rrcnn
