// Portable instance of the CPU kernels: scalar lanes, any width, any processor. The formulas
// are the scalar ones of cell_math.h, so this instance also serves odd test sizes.
#include <cmath>

#include "core/cell_math.h"
#include "core/cpu_kernels_impl.h"

namespace rrcnn {
namespace {

struct IsaScalar {
  using V = float;
  static constexpr int L = 1, R = 4, NV = 4;
  static V zero() { return 0.0f; }
  static V load(const float* p) { return *p; }
  static void store(float* p, V v) { *p = v; }
  // One lane: a tail never happens (n is always L); defined for the tail tiles' template.
  static V load_part(const float* p, int) { return *p; }
  static void store_part(float* p, V v, int) { *p = v; }
  static V bcast(float x) { return x; }
  // std::fma keeps this instance's rounding the same as the vector ones (one rounding per
  // multiply-add), whatever the compiler's contraction setting.
  static V fmadd(V a, V b, V c) { return std::fma(a, b, c); }
  static V add(V a, V b) { return a + b; }
  static V relu(V x) { return rrcnn::relu(x); }
  static V where_positive(V act, V v) { return relu_grad(v, act); }
};

}  // namespace

CpuKernels cpu_kernels_generic() { return KernelImpl<IsaScalar>::kernels("generic"); }

}  // namespace rrcnn
