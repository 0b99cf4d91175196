// Marks functions callable from both host and device code. core/ never includes CUDA headers:
// when nvcc compiles a translation unit __CUDACC__ is set and the qualifiers become real.
#pragma once

#if defined(__CUDACC__)
#define RRCNN_HD __host__ __device__ inline
#else
#define RRCNN_HD inline
#endif
