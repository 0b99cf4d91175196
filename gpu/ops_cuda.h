// Launchers of the CUDA kernels (internal to gpu/), each the device twin of a CPU function of the
// same name in core/ops.h, core/noise.h or core/optimizer.h. Every launcher only enqueues on
// `stream` (no host synchronisation) and checks the launch. The per-element math is the
// RRCNN_HD functions of core/cell_math.h, core/rng.h and core/brush.h.
// Shapes: B batch, H W grid, C channels, P perception, N = B*H*W cells, T steps.
// Gradient rule as in core/ops.h: parameter gradients ACCUMULATE, activation gradients
// OVERWRITE. No kernel uses float atomics: every reduction has a fixed order (bitwise
// reproducible results run to run).
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/brush.h"
#include "core/cell_math.h"

namespace rrcnn {
namespace cuda {

// Scalars that live on the device so captured CUDA graphs can read per-call values (seed,
// episode, step counter, Adam hyper-parameters) and write results (loss, norm) without being
// re-captured. Set by set_rng_args / set_optim_args launches before a graph launch.
struct DeviceArgs {
  uint64_t seed;
  uint32_t episode;
  uint32_t step;      // dropout step of the next mask draw (live view: advanced by the graph)
  float clip_norm;
  AdamHyper hyper;
  double loss_sum;    // sum of squared image errors (written by image_mse)
  double norm2;       // squared global gradient norm (written by global_norm)
  float loss;         // loss_sum / N as float, as core's image_mse returns it
  float grad_norm;    // sqrt(norm2) as float
};

// Threads per block of the element-wise kernels and the partials of the fixed-order reductions.
constexpr int kBlock = 256;
constexpr int kReduceBlocks = 256;
// Row chunks of the bias-gradient column sums (fixed for a given N: reproducible).
constexpr int kColumnChunks = 64;

// Whether this build's kernels can run on the current device (a kernel image for its
// architecture exists); `why` gets the CUDA error when not.
bool kernels_loadable(std::string* why);

// ---- perception (3x3 SAME convolution as im2col + GEMM, see model_cuda.cpp)
// cols[r, (ky*3+kx)*C + c] = src[cell r0+r shifted by (ky-1, kx-1), c], zero outside the grid.
void im2col(int batch, int height, int width, int channels,
            const float* src,  // (B, H, W, C)
            size_t r0, size_t r1,
            float* cols,       // (r1-r0, 9C)
            cudaStream_t stream);

// flipped[2-ky, 2-kx, o, c] = kernel[ky, kx, c, o]: the kernel of the input-gradient convolution.
void flip_kernel(int channels, int perception,
                 const float* kernel,  // (3, 3, C, P)
                 float* flipped,       // (3, 3, P, C)
                 cudaStream_t stream);

// ---- dense layers (the products are cuBLAS; these are the element-wise parts)
// out[n, j] = relu?(out[n, j] + b[j]) in place.
void bias_forward(size_t n, int out_width, const float* b, bool apply_relu, float* out,
                  cudaStream_t stream);

// db[j] += sum_n dout[n, j] in a fixed order (ACCUMULATES). partials: kColumnChunks x width.
void bias_backward(size_t n, int width, const float* dout, float* partials, float* db,
                   cudaStream_t stream);

// dact[i] = relu_grad(dact[i], act[i]) in place.
void relu_backward_inplace(size_t count, const float* act, float* dact, cudaStream_t stream);

// ---- dropout and residual
// next = state + step_size * dropout(update); keep (N) or nullptr. `next` may alias `state`.
void dropout_residual_forward(size_t cells, int channels, const float* state, const float* update,
                              const uint8_t* keep, float keep_prob, float step_size, float* next,
                              cudaStream_t stream);

// dupdate = d next / d update applied to dnext (overwrite).
void dropout_residual_backward(size_t cells, int channels, const float* dnext,
                               const uint8_t* keep, float keep_prob, float step_size,
                               float* dupdate, cudaStream_t stream);

// ---- loss
// args->loss_sum = sum_n (state[n, C-1] - clean[n])^2 in double (fixed order); args->loss =
// float(loss_sum / N). partials: kReduceBlocks doubles.
void image_mse(size_t cells, int channels, const float* state, const float* clean,
               double* partials, DeviceArgs* args, cudaStream_t stream);

// dstate = d image_mse / d state (overwrite: zero except the image channel).
void image_mse_backward(size_t cells, int channels, const float* state, const float* clean,
                        float* dstate, cudaStream_t stream);

// ---- channel access
// out[n] = state[n, channel].
void extract_channel(size_t cells, int channels, int channel, const float* state, float* out,
                     cudaStream_t stream);
// state[n, channel] = image[n].
void insert_channel(size_t cells, int channels, int channel, const float* image, float* state,
                    cudaStream_t stream);

// ---- random inputs (random_cuda.cu): same counters as core/noise.cpp
// state = zeros with the image channel = noisy_pixel(clean, alpha_b, noise); alpha in [0, 1]
// fixes the level, otherwise it is drawn per sample. seed and episode from args.
void init_noisy_state(int batch, int pixels, int channels, float alpha, const float* clean,
                      const DeviceArgs* args, float* state, cudaStream_t stream);

// keep[t, b, cell] = draw_keep(seed, episode, args->step + t, b, cell, keep_prob), t < steps.
void make_keep_masks(int batch, int cells, int steps, float keep_prob, const DeviceArgs* args,
                     uint8_t* keep, cudaStream_t stream);

// Applies one brush stroke to samples [b0, b1) of the live state (B, H, W, C).
void brush_apply(const BrushStroke& stroke, int b0, int b1, int height, int width, int channels,
                 uint64_t seed, float* state, cudaStream_t stream);

// Writes the rng fields of args (seed, episode, step); the rest is kept.
void set_rng_args(DeviceArgs* args, uint64_t seed, uint32_t episode, uint32_t step,
                  cudaStream_t stream);
// args->step += 1 (the live step graph's last node).
void advance_step(DeviceArgs* args, cudaStream_t stream);

// ---- optimiser (optim_cuda.cu)
void set_optim_args(DeviceArgs* args, const AdamHyper& hyper, float clip_norm,
                    cudaStream_t stream);

// args->norm2 = sum grad^2 in double (fixed order); args->grad_norm = float(sqrt(norm2)).
void global_norm(size_t count, const float* grad, double* partials, DeviceArgs* args,
                 cudaStream_t stream);

// optax clip_by_global_norm then adam, element-wise with norm and hyper from args. When
// args->norm2 is not finite, or `loss_guard` is true and args->loss is not finite, nothing
// changes (the host then reports the divergence, as the CPU backend does before it updates).
void clip_adam(size_t count, float* params, float* mu, float* nu, const float* grad,
               const DeviceArgs* args, bool loss_guard, cudaStream_t stream);

}  // namespace cuda
}  // namespace rrcnn
