// The CPU fast path's three dense kernels, each compiled once per instruction set (AVX-512,
// AVX2 + FMA, portable scalar) from one template (cpu_kernels_impl.h) and picked at run time.
// They exist because the model's matrices are small (64-128 wide, a few hundred rows per grid)
// and need epilogues (bias, relu, relu mask, scatter-add to neighbour cells) that a BLAS call
// would turn into extra passes over memory. Row-major, single-threaded: callers split the work.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rrcnn {

// Throws rrcnn::Error with the printf-formatted message "CPU kernel <isa> <fmt...>". Defined in
// cpu_kernels.cpp, which is compiled for every processor: the per-ISA files only call it, so they
// instantiate none of the error machinery (strings, streams), whose inline code the linker could
// otherwise take from an AVX-512 object for code that runs everywhere (CTest isa_symbols).
[[noreturn]] void kernel_check_failed(const char* isa, const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

// What a product does with its result C = A B (per element):
enum class Epilogue {
  kStore,       // C = AB
  kBias,        // C = AB + aux[col]                    (aux: bias)
  kBiasRelu,    // C = relu(AB + aux[col])
  kReluMask,    // C = aux[row, col] > 0 ? AB : 0       (aux: the layer's output, ld = ldc)
  kAccumulate,  // C = C + AB
};

// One grid's 3x3 convolution in scatter form: every listed source cell adds its contribution to
// the neighbours it reaches. out[cell(src) + offset[t]] += x[i] * taps[t] for the 9 taps t,
// skipping targets outside the grid. Forward perception uses K[dy,dx] with offset (-dy,-dx);
// its input gradient uses K[dy,dx]^T with offset (+dy,+dx). With every cell listed this is the
// dense convolution; with the kept cells only it skips the zero rows of a sparse input.
struct ConvScatter {
  int height, width;
  int in_width, out_width;
  int rows;                  // source cells listed
  const uint32_t* cells;     // (rows) cell index y * width + x within the grid
  const float* x;            // (rows, in_width)
  const float* taps;         // (9, in_width, out_width)
  int offset[9][2];          // (dy, dx) from a source cell to the cell it adds into
  float* out;                // (height * width, out_width), accumulated
};

struct CpuKernels {
  const char* isa;  // "avx512", "avx2", "generic"
  int lanes;        // floats per vector register; widths need not be multiples of it
  // Each entry checks the sizes it is given and throws rrcnn::Error on a stride shorter than a
  // row, or (width_multiple > 1) on a width it cannot run.
  // C(m, n) = epilogue(A(m, k) B(k, n)); lda, ldb, ldc are row strides in floats.
  void (*gemm)(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c,
               int ldc, Epilogue epi, const float* aux);
  // C(m, n) += A(k, m)^T B(k, n): the weight gradient, reducing over the k cells in order.
  void (*gemm_at_acc)(int m, int n, int k, const float* a, int lda, const float* b, int ldb,
                      float* c, int ldc);
  void (*conv_scatter)(const ConvScatter& args);
  // Every matrix width must be a multiple of this: 1 for the fp32 instances (masked tail
  // vectors), 16 for the reduced-precision avx512_bf16, whose packing works in whole vectors.
  int width_multiple = 1;
};

// The widest fp32 kernels this processor runs (they take any width), capped by the environment
// variable RRCNN_MAX_ISA (avx512, avx2, generic) for comparisons. `widths` are checked against
// width_multiple.
const CpuKernels& cpu_kernels_for(const std::vector<int>& widths);
// A named kernel set ("avx512", "avx2", "generic", or the reduced-precision "avx512_bf16" that
// is never picked by default); nullptr when this build or processor lacks it.
const CpuKernels* cpu_kernels_named(const std::string& isa);
// The kernels for a precision name: "fp32" (cpu_kernels_for) or "bf16" (avx512_bf16). Throws a
// one-line error for an unknown name or a processor without bf16 instructions.
const CpuKernels& cpu_kernels_for_precision(const std::string& precision, const std::vector<int>& widths);
// Every fp32 kernel set this build and processor can run, widest first.
std::vector<const CpuKernels*> cpu_kernels_available();

}  // namespace rrcnn
