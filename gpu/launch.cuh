// Small device helpers shared by the .cu files of gpu/: grid-stride indexing, launch sizing and
// a fixed-order block reduction (the same tree every run: bitwise reproducible sums).
#pragma once

#include <cuda_runtime.h>

#include <cstddef>

#include "gpu/ops_cuda.h"

namespace rrcnn {
namespace cuda {

__device__ inline size_t global_index() { return size_t(blockIdx.x) * blockDim.x + threadIdx.x; }
__device__ inline size_t grid_stride() { return size_t(gridDim.x) * blockDim.x; }

// Blocks for a grid-stride loop over `count` elements with kBlock threads: enough to fill any
// current GPU, capped so the grid stays far inside its limits; at least one.
inline unsigned grid_for(size_t count) {
  const size_t blocks = (count + kBlock - 1) / kBlock;
  const size_t cap = size_t(1) << 16;
  return unsigned(blocks == 0 ? 1 : (blocks < cap ? blocks : cap));
}

// Sum of one double per thread over a block of exactly kThreads (a power of two) threads,
// as a fixed binary tree. Every thread must call it; the result is valid in thread 0.
template <int kThreads>
__device__ inline double block_sum(double v) {
  __shared__ double sh[kThreads];
  sh[threadIdx.x] = v;
  __syncthreads();
  for (int stride = kThreads / 2; stride > 0; stride >>= 1) {
    if (int(threadIdx.x) < stride) sh[threadIdx.x] += sh[threadIdx.x + stride];
    __syncthreads();
  }
  return sh[0];
}

}  // namespace cuda
}  // namespace rrcnn
