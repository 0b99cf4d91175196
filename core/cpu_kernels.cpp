// Picks the CPU kernel instance: the widest the processor supports, capped by RRCNN_MAX_ISA
// (so a benchmark can show what an AVX2-only machine would get). The fp32 instances run any
// width (masked tail vectors), so odd widths no longer narrow the choice.
#include "core/cpu_kernels.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#include "core/error.h"

namespace rrcnn {

CpuKernels cpu_kernels_generic();
#ifdef RRCNN_HAVE_X86_KERNELS
CpuKernels cpu_kernels_avx2();
CpuKernels cpu_kernels_avx512();
CpuKernels cpu_kernels_avx512bf16();
#endif

namespace {

// Rank of an instruction set name: higher is wider.
int isa_rank(const std::string& isa) {
  if (isa == "avx512") return 2;
  if (isa == "avx2") return 1;
  if (isa == "generic") return 0;
  return -1;
}

int max_rank_allowed() {
  const char* env = std::getenv("RRCNN_MAX_ISA");
  if (!env || !*env) return 2;
  const int r = isa_rank(env);
  RRCNN_CHECK(r >= 0, "RRCNN_MAX_ISA=" << env << " is not one of avx512, avx2, generic");
  return r;
}

bool processor_runs(const std::string& isa) {
#ifdef RRCNN_HAVE_X86_KERNELS
  __builtin_cpu_init();
  // Every flag the instance's file is compiled with (core/CMakeLists.txt): the compiler may use
  // any of them anywhere in that file (AVX512BW for a byte or word move, say).
  if (isa == "avx512")
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (isa == "avx2") return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (isa == "avx512_bf16") return processor_runs("avx512") && __builtin_cpu_supports("avx512bf16");
#endif
  return isa == "generic";
}

struct Registry {
  std::vector<CpuKernels> all;      // fp32, widest first, only those this processor runs
  std::vector<CpuKernels> reduced;  // reduced precision, only on request
  Registry() {
#ifdef RRCNN_HAVE_X86_KERNELS
    if (processor_runs("avx512")) all.push_back(cpu_kernels_avx512());
    if (processor_runs("avx2")) all.push_back(cpu_kernels_avx2());
    if (processor_runs("avx512_bf16")) reduced.push_back(cpu_kernels_avx512bf16());
#endif
    all.push_back(cpu_kernels_generic());
  }
};

const Registry& registry() {
  static const Registry r;
  return r;
}

}  // namespace

const CpuKernels& cpu_kernels_for(const std::vector<int>& widths) {
  const int cap = max_rank_allowed();
  for (const CpuKernels& k : registry().all) {
    if (isa_rank(k.isa) > cap) continue;
    bool fits = true;
    for (int w : widths) fits = fits && w % k.width_multiple == 0;
    if (fits) return k;
  }
  return registry().all.back();
}

const CpuKernels* cpu_kernels_named(const std::string& isa) {
  for (const auto* list : {&registry().all, &registry().reduced})
    for (const CpuKernels& k : *list)
      if (isa == k.isa) return &k;
  return nullptr;
}

std::vector<const CpuKernels*> cpu_kernels_available() {
  std::vector<const CpuKernels*> out;
  for (const CpuKernels& k : registry().all) out.push_back(&k);
  return out;
}

}  // namespace rrcnn

namespace rrcnn {

const CpuKernels& cpu_kernels_for_precision(const std::string& precision, const std::vector<int>& widths) {
  if (precision == "fp32") return cpu_kernels_for(widths);
  RRCNN_CHECK(precision == "bf16", "unknown precision '" << precision << "' (choose fp32 or bf16)");
  const CpuKernels* k = cpu_kernels_named("avx512_bf16");
  RRCNN_CHECK(k, "--precision bf16 needs a processor with AVX512_BF16 (and this build on x86-64); "
                 "this one has none: use fp32");
  for (int w : widths)
    RRCNN_CHECK(w % k->width_multiple == 0, "--precision bf16 needs widths that are multiples of "
                                                << k->width_multiple << ", got " << w);
  return *k;
}

}  // namespace rrcnn

namespace rrcnn {

void kernel_check_failed(const char* isa, const char* fmt, ...) {
  char detail[256];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(detail, sizeof detail, fmt, args);
  va_end(args);
  RRCNN_CHECK(false, "CPU kernel " << isa << " " << detail);
  std::abort();  // not reached: RRCNN_CHECK(false) throws
}

}  // namespace rrcnn
