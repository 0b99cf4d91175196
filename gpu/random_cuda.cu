// CUDA kernels for everything drawn from the shared counter-based generator: noisy initial
// states, dropout keep masks and brush strokes. Same counters as core/noise.cpp and
// CpuBackend::brush_impl, so both backends draw bit-identical masks (and noise up to the last
// bit of the device's double log/cos, see core/rng.h). Also the tiny kernels that set DeviceArgs.
#include <cstdint>
#include <cuda_runtime.h>

#include "core/brush.h"
#include "core/cell_math.h"
#include "core/rng.h"
#include "gpu/cuda_check.h"
#include "gpu/launch.cuh"
#include "gpu/ops_cuda.h"

namespace rrcnn {
namespace cuda {
namespace {

__global__ void init_noisy_state_kernel(size_t count, int pixels, int channels, float alpha,
                                        const float* __restrict__ clean,
                                        const DeviceArgs* __restrict__ args,
                                        float* __restrict__ state) {
  const uint64_t seed = args->seed;
  const uint32_t episode = args->episode;
  for (size_t i = global_index(); i < count; i += grid_stride()) {
    const size_t cell = i / channels;
    if (int(i % channels) != channels - 1) {
      state[i] = 0.0f;
      continue;
    }
    const uint32_t b = uint32_t(cell / pixels), p = uint32_t(cell % pixels);
    state[i] = noisy_pixel(clean[cell], sample_alpha(alpha, seed, episode, b),
                           draw_noise(seed, episode, b, p));
  }
}

__global__ void keep_masks_kernel(size_t count, int batch, int cells, float keep_prob,
                                  const DeviceArgs* __restrict__ args, uint8_t* __restrict__ keep) {
  const uint64_t seed = args->seed;
  const uint32_t episode = args->episode, first_step = args->step;
  for (size_t i = global_index(); i < count; i += grid_stride()) {
    const MaskIndex m = split_mask_index(i, batch, cells);
    keep[i] = draw_keep(seed, episode, first_step + m.step, m.sample, m.cell, keep_prob);
  }
}

__global__ void brush_kernel(BrushStroke stroke, int b0, size_t count, int height, int width,
                             int channels, uint64_t seed, float* __restrict__ state) {
  const size_t hw = size_t(height) * width;
  const RngKey key = rng_key(seed, RngStream::kBrush);
  for (size_t i = global_index(); i < count; i += grid_stride()) {
    const int b = b0 + int(i / hw);
    const int yx = int(i % hw), y = yx / width, x = yx % width;
    if (!brush_covers(stroke, x, y)) continue;
    brush_apply_cell(stroke, key, b, x, y, width, channels,
                     state + ((size_t(b) * height + y) * width + x) * channels);
  }
}

__global__ void set_rng_args_kernel(DeviceArgs* args, uint64_t seed, uint32_t episode,
                                    uint32_t step) {
  args->seed = seed;
  args->episode = episode;
  args->step = step;
}

__global__ void advance_step_kernel(DeviceArgs* args) { args->step += 1; }

}  // namespace

void init_noisy_state(int batch, int pixels, int channels, float alpha, const float* clean,
                      const DeviceArgs* args, float* state, cudaStream_t stream) {
  const size_t count = size_t(batch) * pixels * channels;
  init_noisy_state_kernel<<<grid_for(count), kBlock, 0, stream>>>(count, pixels, channels, alpha,
                                                                  clean, args, state);
  RRCNN_LAUNCH_CHECK();
}

void make_keep_masks(int batch, int cells, int steps, float keep_prob, const DeviceArgs* args,
                     uint8_t* keep, cudaStream_t stream) {
  const size_t count = size_t(steps) * batch * cells;
  keep_masks_kernel<<<grid_for(count), kBlock, 0, stream>>>(count, batch, cells, keep_prob, args,
                                                            keep);
  RRCNN_LAUNCH_CHECK();
}

void brush_apply(const BrushStroke& stroke, int b0, int b1, int height, int width, int channels,
                 uint64_t seed, float* state, cudaStream_t stream) {
  const size_t count = size_t(b1 - b0) * height * width;
  brush_kernel<<<grid_for(count), kBlock, 0, stream>>>(stroke, b0, count, height, width, channels,
                                                       seed, state);
  RRCNN_LAUNCH_CHECK();
}

void set_rng_args(DeviceArgs* args, uint64_t seed, uint32_t episode, uint32_t step,
                  cudaStream_t stream) {
  set_rng_args_kernel<<<1, 1, 0, stream>>>(args, seed, episode, step);
  RRCNN_LAUNCH_CHECK();
}

void advance_step(DeviceArgs* args, cudaStream_t stream) {
  advance_step_kernel<<<1, 1, 0, stream>>>(args);
  RRCNN_LAUNCH_CHECK();
}

}  // namespace cuda
}  // namespace rrcnn
