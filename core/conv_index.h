// Index arithmetic of the 3x3 "SAME" perception convolution, written once for the CPU loops of
// core/ops.cpp and the CUDA kernels of gpu/ops_cuda.cu: which source cell an im2col column reads,
// and where a kernel entry lands in the flipped, transposed kernel of the input gradient.
// Layouts: state (B, H, W, C), kernel (3, 3, C, P) flat as ((k * C + c) * P + o) with the tap
// k = ky * 3 + kx at offset (dy, dx) = (ky - 1, kx - 1).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/hd.h"

namespace rrcnn {

// The cell (b, y + ky - 1, x + kx - 1) that tap k of `cell` = (b, y, x) reads, as a flat cell
// index, or -1 outside the grid (the zero padding). im2col row `cell`, columns k*C .. k*C+C-1
// are that cell's C channels.
RRCNN_HD int64_t im2col_tap_cell(size_t cell, int k, int height, int width) {
  const size_t hw = size_t(height) * width;
  const size_t b = cell / hw, yx = cell % hw;
  const int y = int(yx / size_t(width)), x = int(yx % size_t(width));
  const int sy = y + k / 3 - 1, sx = x + k % 3 - 1;
  if (sy < 0 || sy >= height || sx < 0 || sx >= width) return -1;
  return int64_t((b * height + size_t(sy)) * width + size_t(sx));
}

// Flat index of kernel entry (k, c, o) in the (3, 3, C, P) kernel.
RRCNN_HD size_t conv_kernel_index(int k, int c, int o, int channels, int perception) {
  return (size_t(k) * channels + c) * perception + o;
}

// Where kernel entry (k, c, o) goes in the input-gradient kernel Kt (3, 3, P, C):
// Kt[2 - ky, 2 - kx, o, c] = K[ky, kx, c, o], i.e. tap 8 - k, input o, output c.
RRCNN_HD size_t flipped_kernel_index(int k, int c, int o, int channels, int perception) {
  return (size_t(8 - k) * perception + o) * channels + c;
}

}  // namespace rrcnn
