// The RRCNN's layers as forward/backward pairs on whole batches of cells, CPU implementation.
// Shapes use fixed letters: B batch, H W grid, C channels, P perception, I/O a layer's input and
// output widths, N = B*H*W cells. Templated on the scalar so the same code runs in float (the
// backend) and in double (the finite-difference checks).
// Gradient rule: parameter gradients ACCUMULATE (they sum over the T steps of a rollout);
// activation gradients OVERWRITE their output buffer unless a function says otherwise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rrcnn {

struct GridShape {
  int batch, height, width, channels;
  size_t cells() const { return size_t(batch) * height * width; }
};

// Perception, 3x3 "SAME" convolution with zero padding, no bias:
//   p[n, o] = sum_{dy,dx,c} kernel[dy+1, dx+1, c, o] * state[y+dy, x+dx, c]
// `scratch` holds one im2col block; its size is managed here.
template <typename T>
void perceive_forward(const GridShape& g, int perception,
                      const T* state,   // (B, H, W, C)
                      const T* kernel,  // (3, 3, C, P)
                      T* out,           // (B, H, W, P)
                      std::vector<T>& scratch);

// dstate += d(perception)/d(state)^T dperception. ACCUMULATES into dstate (the residual path
// has already written its share). No kernel gradient: the perception kernel is frozen.
template <typename T>
void perceive_backward(const GridShape& g, int perception,
                       const T* dperception,  // (B, H, W, P)
                       const T* kernel,       // (3, 3, C, P)
                       T* dstate,             // (B, H, W, C), accumulated
                       std::vector<T>& scratch);

// Kernel gradient of the perception: dkernel += im2col(state)^T dperception (ACCUMULATES). Used
// when the kernel is trained (ModelConfig::train_perception; the reference freezes it).
template <typename T>
void perceive_kernel_grad(const GridShape& g, int perception, const T* state,
                          const T* dperception, T* dkernel, std::vector<T>& scratch);

// Dense (1x1 conv) layer: out = in * w + b, then relu when `apply_relu`.
template <typename T>
void dense_forward(size_t n, int in_width, int out_width,
                   const T* in,   // (N, I)
                   const T* w,    // (I, O)
                   const T* b,    // (O)
                   bool apply_relu,
                   T* out);       // (N, O)

// Given dout = dL/d(pre-activation) (relu already applied by the caller):
// dw += in^T dout, db += sum_n dout (accumulate); din = dout w^T (overwrite; skipped if null).
template <typename T>
void dense_backward(size_t n, int in_width, int out_width, const T* in, const T* w,
                    const T* dout, T* dw, T* db, T* din);

// In place: dact = relu_grad(dact, act).
template <typename T>
void relu_backward_inplace(size_t count, const T* act, T* dact);

// next = state + step_size * dropout(update), keep flags per cell (nullptr: no dropout).
template <typename T>
void dropout_residual_forward(const GridShape& g, const T* state, const T* update,
                              const uint8_t* keep,  // (B, H, W) or nullptr
                              T keep_prob, T step_size, T* next);

// dupdate = d next / d update applied to dnext (overwrite).
template <typename T>
void dropout_residual_backward(const GridShape& g, const T* dnext, const uint8_t* keep,
                               T keep_prob, T step_size, T* dupdate);

// Mean over batch and pixels of (state[..., C-1] - clean)^2; the image channel is unclipped.
template <typename T>
T image_mse(const GridShape& g, const T* state, const T* clean /* (B, H, W) */);

// dstate = d image_mse / d state (overwrite: zero except the image channel).
template <typename T>
void image_mse_backward(const GridShape& g, const T* state, const T* clean, T* dstate);

// ---- Kept-cell fast path. A dropped cell's update is multiplied by 0, so its MLP output never
// matters and its MLP gradient is exactly 0: the model runs the MLP on the kept cells only
// (about half of them at rate 0.5), listed in `rows`. The functions below move rows between
// the full (N, W) layout and the compact (M, W) one, and apply dropout + residual on it.

// Indices of the cells with keep[n] != 0, in increasing order; returns their number M.
size_t kept_rows(size_t n, const uint8_t* keep, uint32_t* rows /* (N) capacity */);

// out[i, :] = in[rows[i], :] for i < m.
template <typename T>
void gather_rows(size_t m, int width, const uint32_t* rows, const T* in /* (N, W) */,
                 T* out /* (M, W) */);

// out = 0, then out[rows[i], :] = in[i, :] (overwrite).
template <typename T>
void scatter_rows(size_t n, size_t m, int width, const uint32_t* rows, const T* in /* (M, W) */,
                  T* out /* (N, W) */);

// dropout_residual_forward with every cell in `rows` kept and every other one dropped, the
// update given for the kept rows only: next = state, next[rows[i]] += step_size * u[i] / keep.
template <typename T>
void kept_residual_forward(const GridShape& g, size_t m, const uint32_t* rows, const T* state,
                           const T* update /* (M, C) */, T keep_prob, T step_size, T* next);

// dropout_residual_backward for the kept rows only: dupdate[i] = d next[rows[i]] / d u[i].
template <typename T>
void kept_residual_backward(const GridShape& g, size_t m, const uint32_t* rows, const T* dnext,
                            T keep_prob, T step_size, T* dupdate /* (M, C) */);

}  // namespace rrcnn
