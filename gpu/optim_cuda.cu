// CUDA kernels of the optimiser (core/optimizer.cpp's twins): the global gradient norm as a
// fixed-order double reduction, and clip_by_global_norm fused with the Adam element update.
// Hyper-parameters come from DeviceArgs so a captured train-step graph needs no re-capture when
// the learning rate or the bias corrections change.
#include <cuda_runtime.h>

#include "core/cell_math.h"
#include "gpu/cuda_check.h"
#include "gpu/launch.cuh"
#include "gpu/ops_cuda.h"

namespace rrcnn {
namespace cuda {
namespace {

__global__ void norm_partials_kernel(size_t count, const float* __restrict__ grad,
                                     double* __restrict__ partials) {
  double acc = 0.0;
  for (size_t i = size_t(blockIdx.x) * kBlock + threadIdx.x; i < count;
       i += size_t(kReduceBlocks) * kBlock) {
    const double g = grad[i];
    acc += g * g;
  }
  const double s = block_sum<kBlock>(acc);
  if (threadIdx.x == 0) partials[blockIdx.x] = s;
}

__global__ void norm_final_kernel(const double* __restrict__ partials, DeviceArgs* args) {
  const double s = block_sum<kReduceBlocks>(partials[threadIdx.x]);
  if (threadIdx.x == 0) {
    args->norm2 = s;
    args->grad_norm = float(sqrt(s));
  }
}

__global__ void clip_adam_kernel(size_t count, float* __restrict__ params, float* __restrict__ mu,
                                 float* __restrict__ nu, const float* __restrict__ grad,
                                 const DeviceArgs* __restrict__ args, bool loss_guard) {
  // A finite loss can still give an infinite or NaN gradient (overflow in the backward pass);
  // the CPU backend refuses both before it updates, and so does this.
  if (!isfinite(args->norm2) || (loss_guard && !isfinite(args->loss))) return;
  const double norm = sqrt(args->norm2);
  const float max_norm = args->clip_norm;
  const bool clip = clip_active(norm, max_norm);
  const float n = float(norm);
  const AdamHyper h = args->hyper;
  for (size_t i = global_index(); i < count; i += grid_stride()) {
    const float g = clip ? clip_element(grad[i], n, max_norm) : grad[i];
    adam_element(&params[i], &mu[i], &nu[i], g, h);
  }
}

__global__ void set_optim_args_kernel(DeviceArgs* args, AdamHyper hyper, float clip_norm) {
  args->hyper = hyper;
  args->clip_norm = clip_norm;
}

}  // namespace

void set_optim_args(DeviceArgs* args, const AdamHyper& hyper, float clip_norm,
                    cudaStream_t stream) {
  set_optim_args_kernel<<<1, 1, 0, stream>>>(args, hyper, clip_norm);
  RRCNN_LAUNCH_CHECK();
}

void global_norm(size_t count, const float* grad, double* partials, DeviceArgs* args,
                 cudaStream_t stream) {
  norm_partials_kernel<<<kReduceBlocks, kBlock, 0, stream>>>(count, grad, partials);
  RRCNN_LAUNCH_CHECK();
  norm_final_kernel<<<1, kReduceBlocks, 0, stream>>>(partials, args);
  RRCNN_LAUNCH_CHECK();
}

void clip_adam(size_t count, float* params, float* mu, float* nu, const float* grad,
               const DeviceArgs* args, bool loss_guard, cudaStream_t stream) {
  clip_adam_kernel<<<grid_for(count), kBlock, 0, stream>>>(count, params, mu, nu, grad, args,
                                                           loss_guard);
  RRCNN_LAUNCH_CHECK();
}

}  // namespace cuda
}  // namespace rrcnn
