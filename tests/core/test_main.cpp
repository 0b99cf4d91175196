// doctest's main for the CPU suite (after choosing the BLAS kernels, as the app does).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "core/blas_runtime.h"

int main(int argc, char** argv) {
  rrcnn::select_blas_kernels(argc, argv);
  doctest::Context context(argc, argv);
  return context.run();
}
