// OpenBLAS picks its kernels once, when the library loads, from the CPU model number. Builds
// older than the CPU (Debian 12's 0.3.21 on Sapphire/Emerald Rapids, for one) fall back to the
// SSE3 "Prescott" kernels, 3-5x slower than the AVX-512 ones the CPU runs fine. The only switch
// is the OPENBLAS_CORETYPE environment variable, read before main(); so when it is unset and
// the CPU has AVX-512 (or AVX2), the process sets it and re-executes itself once. A variable
// set by the user or the machine always wins.
#pragma once

namespace rrcnn {

// Users: `rrcnn bench` (its fp32 peak is a gemm<float>) and the test programs (the reference
// model's products); the CPU backend does not use the BLAS, so other commands skip this.
// Call first thing in main(). Returns normally when nothing needs doing or the re-exec failed.
void select_blas_kernels(int argc, char** argv);

}  // namespace rrcnn
