// Size limits of the matrix products: BLAS interfaces (CBLAS, cuBLAS) take 32-bit int sizes and
// leading dimensions, and some index whole matrices with them. A batch whose activations would
// not fit is refused with a clear message before anything is allocated or cast.
#pragma once

#include <climits>
#include <cstddef>

#include "core/config.h"
#include "core/error.h"

namespace rrcnn {

// The widest row of any matrix the model multiplies per cell: the MLP's widths, C and P.
inline int widest_product_row(const ModelConfig& c) {
  int w = c.max_width();
  if (c.channels > w) w = c.channels;
  if (c.perception > w) w = c.perception;
  return w;
}

// The most cells (B*H*W) one product may cover: every per-cell matrix (cells x widest) must
// index within INT_MAX elements.
inline size_t max_product_cells(const ModelConfig& c) {
  return size_t(INT_MAX) / size_t(widest_product_row(c));
}

// Throws rrcnn::Error when a batch of `batch` digits is too large for 32-bit products.
inline void check_product_batch(const ModelConfig& c, long long batch, const char* what) {
  const size_t max_cells = max_product_cells(c);
  const size_t max_batch = max_cells / size_t(c.cells());
  RRCNN_CHECK(batch >= 0 && size_t(batch) <= max_batch,
              what << ": a batch of " << batch << " digits is too large; matrix products index at "
                   << "most " << INT_MAX << " elements (32-bit BLAS sizes), which allows at most "
                   << max_batch << " digits of " << c.height << "x" << c.width
                   << " at this model size");
}

// `value` as a BLAS int size, or rrcnn::Error naming `what` when it does not fit.
inline int blas_int(size_t value, const char* what) {
  RRCNN_CHECK(value <= size_t(INT_MAX),
              what << " = " << value << " exceeds the 32-bit size of BLAS interfaces");
  return int(value);
}

}  // namespace rrcnn
