// CUDA kernels of the RRCNN's layers (element-wise parts; the products are cuBLAS GEMMs in
// model_cuda.cpp): im2col, kernel flip, bias/relu, dropout-residual, loss and its gradient,
// channel access. Each kernel is checked against the CPU loop of the same name in core/ops.cpp;
// the per-element formulas are core/cell_math.h's, called, not rewritten.
#include "gpu/ops_cuda.h"

#include <cuda_runtime.h>

#include <algorithm>

#include "core/conv_index.h"
#include "gpu/cuda_check.h"
#include "gpu/launch.cuh"

namespace rrcnn {
namespace cuda {
namespace {

__global__ void im2col_kernel(int height, int width, int channels, const float* __restrict__ src,
                              size_t r0, size_t rows, float* __restrict__ cols) {
  const size_t row_len = size_t(9) * channels;
  const size_t total = rows * row_len;
  for (size_t i = global_index(); i < total; i += grid_stride()) {
    const size_t r = i / row_len, rem = i % row_len;
    const int k = int(rem / channels), c = int(rem % channels);
    const int64_t tap = im2col_tap_cell(r0 + r, k, height, width);
    cols[i] = tap < 0 ? 0.0f : src[size_t(tap) * channels + c];
  }
}

__global__ void flip_kernel_kernel(int channels, int perception, const float* __restrict__ kernel,
                                   float* __restrict__ flipped) {
  // i = conv_kernel_index(k, c, o): o fastest, then c, then the tap k.
  const size_t total = size_t(9) * channels * perception;
  for (size_t i = global_index(); i < total; i += grid_stride()) {
    const int o = int(i % perception);
    const size_t kc = i / perception;
    const int c = int(kc % channels), k = int(kc / channels);
    flipped[flipped_kernel_index(k, c, o, channels, perception)] = kernel[i];
  }
}

__global__ void bias_forward_kernel(size_t count, int out_width, const float* __restrict__ b,
                                    bool apply_relu, float* __restrict__ out) {
  for (size_t i = global_index(); i < count; i += grid_stride()) {
    const float v = out[i] + b[i % out_width];  // bias after the product, as flax adds it
    out[i] = apply_relu ? relu(v) : v;
  }
}

// Stage 1 of the bias gradient: block (32, 8) sums a 32-column strip over one chunk of rows;
// thread (x, y) takes rows y, y+8, ... of the chunk, then y = 0 adds the 8 partial sums in order.
__global__ void column_partials_kernel(size_t n, int width, const float* __restrict__ dout,
                                       float* __restrict__ partials) {
  __shared__ float sums[8][33];
  const int col = blockIdx.x * 32 + threadIdx.x;
  const int chunk = blockIdx.y;
  const size_t per_chunk = (n + kColumnChunks - 1) / kColumnChunks;
  const size_t begin = size_t(chunk) * per_chunk;
  const size_t end = begin + per_chunk < n ? begin + per_chunk : n;
  float acc = 0.0f;
  if (col < width)
    for (size_t r = begin + threadIdx.y; r < end; r += 8) acc += dout[r * width + col];
  sums[threadIdx.y][threadIdx.x] = acc;
  __syncthreads();
  if (threadIdx.y == 0 && col < width) {
    float s = sums[0][threadIdx.x];
    for (int k = 1; k < 8; ++k) s += sums[k][threadIdx.x];
    partials[size_t(chunk) * width + col] = s;
  }
}

// Stage 2: db[j] += the chunk sums of column j, chunk by chunk.
__global__ void column_final_kernel(int width, const float* __restrict__ partials,
                                    float* __restrict__ db) {
  const int col = blockIdx.x * blockDim.x + threadIdx.x;
  if (col >= width) return;
  float s = 0.0f;
  for (int k = 0; k < kColumnChunks; ++k) s += partials[size_t(k) * width + col];
  db[col] += s;
}

__global__ void relu_backward_kernel(size_t count, const float* __restrict__ act,
                                     float* __restrict__ dact) {
  for (size_t i = global_index(); i < count; i += grid_stride()) dact[i] = relu_grad(dact[i], act[i]);
}

// `next` may alias `state`: each element is read, then written, by the same thread.
__global__ void dropout_residual_forward_kernel(size_t count, int channels, const float* state,
                                                const float* __restrict__ update,
                                                const uint8_t* __restrict__ keep, float keep_prob,
                                                float step_size, float* next) {
  for (size_t i = global_index(); i < count; i += grid_stride()) {
    const float s = state[i];
    next[i] = keep ? residual(s, dropout_apply(update[i], keep[i / channels], keep_prob), step_size)
                   : residual(s, update[i], step_size);
  }
}

__global__ void dropout_residual_backward_kernel(size_t count, int channels,
                                                 const float* __restrict__ dnext,
                                                 const uint8_t* __restrict__ keep, float keep_prob,
                                                 float step_size, float* __restrict__ dupdate) {
  for (size_t i = global_index(); i < count; i += grid_stride())
    dupdate[i] = keep ? residual_update_grad(dnext[i], keep[i / channels], keep_prob, step_size)
                      : step_size * dnext[i];
}

__global__ void mse_partials_kernel(size_t cells, int channels, const float* __restrict__ state,
                                    const float* __restrict__ clean, double* __restrict__ partials) {
  double acc = 0.0;
  for (size_t i = size_t(blockIdx.x) * kBlock + threadIdx.x; i < cells;
       i += size_t(kReduceBlocks) * kBlock) {
    const double d = double(state[i * channels + channels - 1]) - double(clean[i]);
    acc += d * d;
  }
  const double s = block_sum<kBlock>(acc);
  if (threadIdx.x == 0) partials[blockIdx.x] = s;
}

__global__ void mse_final_kernel(size_t cells, const double* __restrict__ partials,
                                 DeviceArgs* args) {
  const double s = block_sum<kReduceBlocks>(partials[threadIdx.x]);
  if (threadIdx.x == 0) {
    args->loss_sum = s;
    args->loss = float(s / double(cells));
  }
}

__global__ void mse_backward_kernel(size_t count, int channels, const float* __restrict__ state,
                                    const float* __restrict__ clean, float scale,
                                    float* __restrict__ dstate) {
  for (size_t i = global_index(); i < count; i += grid_stride())
    dstate[i] = int(i % channels) == channels - 1 ? scale * (state[i] - clean[i / channels]) : 0.0f;
}

__global__ void extract_channel_kernel(size_t cells, int channels, int channel,
                                       const float* __restrict__ state, float* __restrict__ out) {
  for (size_t i = global_index(); i < cells; i += grid_stride())
    out[i] = state[i * channels + channel];
}

__global__ void insert_channel_kernel(size_t cells, int channels, int channel,
                                      const float* __restrict__ image, float* __restrict__ state) {
  for (size_t i = global_index(); i < cells; i += grid_stride())
    state[i * channels + channel] = image[i];
}

}  // namespace

bool kernels_loadable(std::string* why) {
  cudaFuncAttributes attr;
  const cudaError_t e = cudaFuncGetAttributes(&attr, bias_forward_kernel);
  if (e == cudaSuccess) return true;
  cudaGetLastError();
  if (why)
    *why = std::string("no kernel image for this GPU in this build (") + cudaGetErrorString(e) +
           "; rebuild with -DCMAKE_CUDA_ARCHITECTURES=native)";
  return false;
}

void im2col(int batch, int height, int width, int channels, const float* src, size_t r0,
            size_t r1, float* cols, cudaStream_t stream) {
  const size_t total = (r1 - r0) * 9 * size_t(channels);
  im2col_kernel<<<grid_for(total), kBlock, 0, stream>>>(height, width, channels, src, r0, r1 - r0,
                                                        cols);
  RRCNN_LAUNCH_CHECK();
}

void flip_kernel(int channels, int perception, const float* kernel, float* flipped,
                 cudaStream_t stream) {
  const size_t total = size_t(9) * channels * perception;
  flip_kernel_kernel<<<grid_for(total), kBlock, 0, stream>>>(channels, perception, kernel, flipped);
  RRCNN_LAUNCH_CHECK();
}

void bias_forward(size_t n, int out_width, const float* b, bool apply_relu, float* out,
                  cudaStream_t stream) {
  const size_t count = n * out_width;
  bias_forward_kernel<<<grid_for(count), kBlock, 0, stream>>>(count, out_width, b, apply_relu, out);
  RRCNN_LAUNCH_CHECK();
}

void bias_backward(size_t n, int width, const float* dout, float* partials, float* db,
                   cudaStream_t stream) {
  const dim3 grid((width + 31) / 32, kColumnChunks), block(32, 8);
  column_partials_kernel<<<grid, block, 0, stream>>>(n, width, dout, partials);
  RRCNN_LAUNCH_CHECK();
  column_final_kernel<<<(width + kBlock - 1) / kBlock, kBlock, 0, stream>>>(width, partials, db);
  RRCNN_LAUNCH_CHECK();
}

void relu_backward_inplace(size_t count, const float* act, float* dact, cudaStream_t stream) {
  relu_backward_kernel<<<grid_for(count), kBlock, 0, stream>>>(count, act, dact);
  RRCNN_LAUNCH_CHECK();
}

void dropout_residual_forward(size_t cells, int channels, const float* state, const float* update,
                              const uint8_t* keep, float keep_prob, float step_size, float* next,
                              cudaStream_t stream) {
  const size_t count = cells * channels;
  dropout_residual_forward_kernel<<<grid_for(count), kBlock, 0, stream>>>(
      count, channels, state, update, keep, keep_prob, step_size, next);
  RRCNN_LAUNCH_CHECK();
}

void dropout_residual_backward(size_t cells, int channels, const float* dnext,
                               const uint8_t* keep, float keep_prob, float step_size,
                               float* dupdate, cudaStream_t stream) {
  const size_t count = cells * channels;
  dropout_residual_backward_kernel<<<grid_for(count), kBlock, 0, stream>>>(
      count, channels, dnext, keep, keep_prob, step_size, dupdate);
  RRCNN_LAUNCH_CHECK();
}

void image_mse(size_t cells, int channels, const float* state, const float* clean,
               double* partials, DeviceArgs* args, cudaStream_t stream) {
  mse_partials_kernel<<<kReduceBlocks, kBlock, 0, stream>>>(cells, channels, state, clean, partials);
  RRCNN_LAUNCH_CHECK();
  mse_final_kernel<<<1, kReduceBlocks, 0, stream>>>(cells, partials, args);
  RRCNN_LAUNCH_CHECK();
}

void image_mse_backward(size_t cells, int channels, const float* state, const float* clean,
                        float* dstate, cudaStream_t stream) {
  const size_t count = cells * channels;
  const float scale = 2.0f / float(cells);  // T(2) / T(n) as in core/ops.cpp
  mse_backward_kernel<<<grid_for(count), kBlock, 0, stream>>>(count, channels, state, clean, scale,
                                                              dstate);
  RRCNN_LAUNCH_CHECK();
}

void extract_channel(size_t cells, int channels, int channel, const float* state, float* out,
                     cudaStream_t stream) {
  extract_channel_kernel<<<grid_for(cells), kBlock, 0, stream>>>(cells, channels, channel, state,
                                                                 out);
  RRCNN_LAUNCH_CHECK();
}

void insert_channel(size_t cells, int channels, int channel, const float* image, float* state,
                    cudaStream_t stream) {
  insert_channel_kernel<<<grid_for(cells), kBlock, 0, stream>>>(cells, channels, channel, image,
                                                                state);
  RRCNN_LAUNCH_CHECK();
}

}  // namespace cuda
}  // namespace rrcnn
