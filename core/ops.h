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

// Kernel-gradient of the perception, for checking the convolution alone (never trained).
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

}  // namespace rrcnn
