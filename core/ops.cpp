// CPU implementation of the per-layer forward/backward pairs declared in ops.h. The convolution
// is im2col + GEMM in blocks of cells, so memory stays bounded for any batch; its input gradient
// is the same convolution applied to dperception with the kernel flipped and transposed.
#include "core/ops.h"

#include <algorithm>

#include "core/cell_math.h"
#include "core/conv_index.h"
#include "core/gemm.h"
#include "core/parallel.h"

namespace rrcnn {
namespace {

constexpr size_t kBlockCells = 2048;  // im2col block: 2048 cells x 9C floats (4.7 MB at C=64)

// cols[r, (ky*3+kx)*C + c] = src[cell r0+r shifted by (ky-1, kx-1), c], zero outside the grid.
template <typename T>
void im2col_block(const GridShape& g, int channels, const T* src, size_t r0, size_t r1, T* cols) {
  const size_t row_len = size_t(9) * channels;
  parallel_for(r1 - r0, 256, [&](size_t a, size_t e) {
    for (size_t r = a; r < e; ++r) {
      T* out = cols + r * row_len;
      for (int k = 0; k < 9; ++k) {
        T* dst = out + k * channels;
        const int64_t cell = im2col_tap_cell(r0 + r, k, g.height, g.width);
        if (cell < 0) {
          std::fill(dst, dst + channels, T(0));
        } else {
          const T* s = src + size_t(cell) * channels;
          std::copy(s, s + channels, dst);
        }
      }
    }
  });
}

// out(N, out_ch) (+)= conv3x3(src(N, in_ch)) with kernel (3, 3, in_ch, out_ch).
template <typename T>
void conv3x3(const GridShape& g, int in_ch, int out_ch, const T* src, const T* kernel, T beta,
             T* out, std::vector<T>& scratch) {
  const size_t n = g.cells();
  const int k = 9 * in_ch;
  scratch.resize(std::min(n, kBlockCells) * size_t(k));
  for (size_t r0 = 0; r0 < n; r0 += kBlockCells) {
    const size_t r1 = std::min(n, r0 + kBlockCells);
    im2col_block(g, in_ch, src, r0, r1, scratch.data());
    gemm<T>(false, false, int(r1 - r0), out_ch, k, T(1), scratch.data(), k, kernel, out_ch, beta,
            out + r0 * out_ch, out_ch);
  }
}

}  // namespace

template <typename T>
void perceive_forward(const GridShape& g, int perception, const T* state, const T* kernel, T* out,
                      std::vector<T>& scratch) {
  conv3x3(g, g.channels, perception, state, kernel, T(0), out, scratch);
}

template <typename T>
void perceive_backward(const GridShape& g, int perception, const T* dperception, const T* kernel,
                       T* dstate, std::vector<T>& scratch) {
  // d state[y, x, c] = sum_{ky,kx,o} K[ky, kx, c, o] dp[y - (ky-1), x - (kx-1), o]
  //                  = conv3x3(dp) with Kt[2-ky, 2-kx, o, c] = K[ky, kx, c, o].
  const int c_n = g.channels, p_n = perception;
  std::vector<T> flipped(size_t(9) * c_n * p_n);
  for (int k = 0; k < 9; ++k)
    for (int c = 0; c < c_n; ++c)
      for (int o = 0; o < p_n; ++o)
        flipped[flipped_kernel_index(k, c, o, c_n, p_n)] = kernel[conv_kernel_index(k, c, o, c_n, p_n)];
  GridShape gp = g;
  gp.channels = p_n;
  conv3x3(gp, p_n, c_n, dperception, flipped.data(), T(1), dstate, scratch);
}

template <typename T>
void perceive_kernel_grad(const GridShape& g, int perception, const T* state, const T* dperception,
                          T* dkernel, std::vector<T>& scratch) {
  const size_t n = g.cells();
  const int k = 9 * g.channels;
  scratch.resize(std::min(n, kBlockCells) * size_t(k));
  for (size_t r0 = 0; r0 < n; r0 += kBlockCells) {
    const size_t r1 = std::min(n, r0 + kBlockCells);
    im2col_block(g, g.channels, state, r0, r1, scratch.data());
    gemm<T>(true, false, k, perception, int(r1 - r0), T(1), scratch.data(), k,
            dperception + r0 * perception, perception, T(1), dkernel, perception);
  }
}

template <typename T>
void dense_forward(size_t n, int in_width, int out_width, const T* in, const T* w, const T* b,
                   bool apply_relu, T* out) {
  gemm<T>(false, false, int(n), out_width, in_width, T(1), in, in_width, w, out_width, T(0), out,
          out_width);
  // Bias after the product, as flax's Conv adds it, so rounding matches the original.
  parallel_for(n, 512, [&](size_t a, size_t e) {
    for (size_t i = a; i < e; ++i) {
      T* row = out + i * out_width;
      if (apply_relu)
        for (int j = 0; j < out_width; ++j) row[j] = relu(row[j] + b[j]);
      else
        for (int j = 0; j < out_width; ++j) row[j] = row[j] + b[j];
    }
  });
}

template <typename T>
void dense_backward(size_t n, int in_width, int out_width, const T* in, const T* w, const T* dout,
                    T* dw, T* db, T* din) {
  gemm<T>(true, false, in_width, out_width, int(n), T(1), in, in_width, dout, out_width, T(1), dw,
          out_width);
  // Serial column sums: a fixed summation order keeps the gradient bitwise reproducible.
  for (size_t i = 0; i < n; ++i) {
    const T* row = dout + i * out_width;
    for (int j = 0; j < out_width; ++j) db[j] += row[j];
  }
  if (din)
    gemm<T>(false, true, int(n), in_width, out_width, T(1), dout, out_width, w, out_width, T(0),
            din, in_width);
}

template <typename T>
void relu_backward_inplace(size_t count, const T* act, T* dact) {
  parallel_for(count, 65536, [&](size_t a, size_t e) {
    for (size_t i = a; i < e; ++i) dact[i] = relu_grad(dact[i], act[i]);
  });
}

template <typename T>
void dropout_residual_forward(const GridShape& g, const T* state, const T* update,
                              const uint8_t* keep, T keep_prob, T step_size, T* next) {
  const int c_n = g.channels;
  parallel_for(g.cells(), 1024, [&](size_t a, size_t e) {
    for (size_t n = a; n < e; ++n) {
      const size_t o = n * c_n;
      if (keep) {
        for (int c = 0; c < c_n; ++c)
          next[o + c] = residual(state[o + c], dropout_apply(update[o + c], keep[n], keep_prob),
                                 step_size);
      } else {
        for (int c = 0; c < c_n; ++c) next[o + c] = residual(state[o + c], update[o + c], step_size);
      }
    }
  });
}

template <typename T>
void dropout_residual_backward(const GridShape& g, const T* dnext, const uint8_t* keep,
                               T keep_prob, T step_size, T* dupdate) {
  const int c_n = g.channels;
  parallel_for(g.cells(), 1024, [&](size_t a, size_t e) {
    for (size_t n = a; n < e; ++n) {
      const size_t o = n * c_n;
      for (int c = 0; c < c_n; ++c)
        dupdate[o + c] = keep ? residual_update_grad(dnext[o + c], keep[n], keep_prob, step_size)
                              : step_size * dnext[o + c];
    }
  });
}

template <typename T>
T image_mse(const GridShape& g, const T* state, const T* clean) {
  const size_t n = g.cells();
  const int c = g.channels - 1;
  // Summed in double: the loss is reported and compared, and its order must not depend on
  // threads.
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    const double d = double(state[i * g.channels + c]) - double(clean[i]);
    sum += d * d;
  }
  return T(sum / double(n));
}

template <typename T>
void image_mse_backward(const GridShape& g, const T* state, const T* clean, T* dstate) {
  const size_t n = g.cells();
  const int c_n = g.channels, c = c_n - 1;
  const T scale = T(2) / T(n);
  std::fill(dstate, dstate + n * c_n, T(0));
  for (size_t i = 0; i < n; ++i) dstate[i * c_n + c] = scale * (state[i * c_n + c] - clean[i]);
}

size_t kept_rows(size_t n, const uint8_t* keep, uint32_t* rows) {
  size_t m = 0;
  for (size_t i = 0; i < n; ++i)
    if (keep[i]) rows[m++] = uint32_t(i);
  return m;
}

template <typename T>
void gather_rows(size_t m, int width, const uint32_t* rows, const T* in, T* out) {
  parallel_for(m, 512, [&](size_t a, size_t e) {
    for (size_t i = a; i < e; ++i) {
      const T* src = in + size_t(rows[i]) * width;
      std::copy(src, src + width, out + i * width);
    }
  });
}

template <typename T>
void scatter_rows(size_t n, size_t m, int width, const uint32_t* rows, const T* in, T* out) {
  std::fill(out, out + n * width, T(0));
  parallel_for(m, 512, [&](size_t a, size_t e) {
    for (size_t i = a; i < e; ++i)
      std::copy(in + i * width, in + (i + 1) * width, out + size_t(rows[i]) * width);
  });
}

template <typename T>
void kept_residual_forward(const GridShape& g, size_t m, const uint32_t* rows, const T* state,
                           const T* update, T keep_prob, T step_size, T* next) {
  const int c_n = g.channels;
  std::copy(state, state + g.cells() * c_n, next);  // dropped cells: residual(s, 0) == s
  parallel_for(m, 1024, [&](size_t a, size_t e) {
    for (size_t i = a; i < e; ++i) {
      const size_t o = size_t(rows[i]) * c_n;
      const T* u = update + i * c_n;
      for (int c = 0; c < c_n; ++c)
        next[o + c] = residual(state[o + c], dropout_apply(u[c], uint8_t(1), keep_prob), step_size);
    }
  });
}

template <typename T>
void kept_residual_backward(const GridShape& g, size_t m, const uint32_t* rows, const T* dnext,
                            T keep_prob, T step_size, T* dupdate) {
  const int c_n = g.channels;
  parallel_for(m, 1024, [&](size_t a, size_t e) {
    for (size_t i = a; i < e; ++i) {
      const size_t o = size_t(rows[i]) * c_n;
      for (int c = 0; c < c_n; ++c)
        dupdate[i * c_n + c] = residual_update_grad(dnext[o + c], uint8_t(1), keep_prob, step_size);
    }
  });
}

#define RRCNN_INSTANTIATE_OPS(T)                                                                 \
  template void perceive_forward<T>(const GridShape&, int, const T*, const T*, T*,               \
                                    std::vector<T>&);                                            \
  template void perceive_backward<T>(const GridShape&, int, const T*, const T*, T*,              \
                                     std::vector<T>&);                                           \
  template void perceive_kernel_grad<T>(const GridShape&, int, const T*, const T*, T*,           \
                                        std::vector<T>&);                                        \
  template void dense_forward<T>(size_t, int, int, const T*, const T*, const T*, bool, T*);      \
  template void dense_backward<T>(size_t, int, int, const T*, const T*, const T*, T*, T*, T*);   \
  template void relu_backward_inplace<T>(size_t, const T*, T*);                                  \
  template void dropout_residual_forward<T>(const GridShape&, const T*, const T*, const uint8_t*, \
                                            T, T, T*);                                           \
  template void dropout_residual_backward<T>(const GridShape&, const T*, const uint8_t*, T, T,   \
                                             T*);                                                \
  template T image_mse<T>(const GridShape&, const T*, const T*);                                 \
  template void image_mse_backward<T>(const GridShape&, const T*, const T*, T*);              \
  template void gather_rows<T>(size_t, int, const uint32_t*, const T*, T*);                     \
  template void scatter_rows<T>(size_t, size_t, int, const uint32_t*, const T*, T*);            \
  template void kept_residual_forward<T>(const GridShape&, size_t, const uint32_t*, const T*,   \
                                         const T*, T, T, T*);                                   \
  template void kept_residual_backward<T>(const GridShape&, size_t, const uint32_t*, const T*,  \
                                          T, T, T*);

RRCNN_INSTANTIATE_OPS(float)
RRCNN_INSTANTIATE_OPS(double)

}  // namespace rrcnn
