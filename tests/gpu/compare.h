// Tensor comparison for the GPU suite: |got - ref| <= atol + atol_rel * max|ref| + rtol * |ref|
// per element, reporting the worst element of each tensor by name (and multi-index), NaN/Inf
// counts, and a small number of tolerated outliers where the math allows them (Adam's
// sign-like update of near-zero gradients).
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "core/param_layout.h"

namespace rrcnn {
namespace test {

struct Tol {
  double atol = 0;      // absolute
  double atol_rel = 0;  // absolute, as a fraction of the tensor's largest |ref|
  double rtol = 0;      // relative to each element's |ref|
  size_t outliers = 0;  // elements allowed past the tolerance ...
  double outlier_abs = 0;  // ... but never past this absolute error
};

struct Comparison {
  size_t count = 0, violations = 0, nonfinite = 0;
  size_t worst = 0;          // index of the element with the largest error / allowed ratio
  double worst_ratio = 0;    // error / allowed of that element (<= 1 passes)
  double worst_abs = 0;      // largest absolute error
  double max_ref = 0;
  bool ok = true;
};

inline std::string unravel(size_t index, const std::vector<int>& shape) {
  if (shape.empty()) return "[" + std::to_string(index) + "]";
  std::vector<size_t> idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = index % size_t(shape[d]);
    index /= size_t(shape[d]);
  }
  std::ostringstream os;
  os << "[";
  for (size_t d = 0; d < idx.size(); ++d) os << (d ? "," : "") << idx[d];
  os << "]";
  return os.str();
}

inline Comparison compare(const float* got, const float* ref, size_t n, const Tol& tol) {
  Comparison c;
  c.count = n;
  for (size_t i = 0; i < n; ++i) c.max_ref = std::fmax(c.max_ref, std::fabs(double(ref[i])));
  const double base = tol.atol + tol.atol_rel * c.max_ref;
  for (size_t i = 0; i < n; ++i) {
    const double g = got[i], r = ref[i];
    if (!std::isfinite(g) || !std::isfinite(r)) {
      ++c.nonfinite;
      c.ok = false;
      continue;
    }
    const double err = std::fabs(g - r);
    const double allowed = base + tol.rtol * std::fabs(r);
    const double ratio = allowed > 0 ? err / allowed : (err > 0 ? INFINITY : 0.0);
    if (ratio > c.worst_ratio || i == 0) {
      c.worst_ratio = ratio;
      c.worst = i;
    }
    c.worst_abs = std::fmax(c.worst_abs, err);
    if (ratio > 1) {
      ++c.violations;
      if (err > tol.outlier_abs) c.ok = false;
    }
  }
  if (c.violations > tol.outliers) c.ok = false;
  return c;
}

// One doctest CHECK per tensor; the message names the worst element.
inline bool check_close(const std::string& name, const float* got, const float* ref, size_t n,
                        const Tol& tol, const std::vector<int>& shape = {}) {
  const Comparison c = compare(got, ref, n, tol);
  std::ostringstream os;
  os << name << ": " << n << " elements, max|ref| " << c.max_ref << ", worst "
     << unravel(c.worst, shape) << " got " << (n ? got[c.worst] : 0.f) << " ref "
     << (n ? ref[c.worst] : 0.f) << " (error/allowed " << c.worst_ratio << "), max abs error "
     << c.worst_abs << ", " << c.violations << " past tolerance, " << c.nonfinite << " NaN/Inf";
  INFO(os.str());
  CHECK(c.ok);
  if (c.ok && c.violations) MESSAGE(os.str());
  return c.ok;
}

inline bool check_close(const std::string& name, const std::vector<float>& got,
                        const std::vector<float>& ref, const Tol& tol,
                        const std::vector<int>& shape = {}) {
  INFO(name << ": got " << got.size() << " elements, ref " << ref.size());
  REQUIRE(got.size() == ref.size());
  return check_close(name, got.data(), ref.data(), got.size(), tol, shape);
}

// Per tensor of the flat parameter layout (params, gradients), named as in checkpoints.
inline bool check_params_close(const std::string& what, const ParamLayout& layout,
                               const std::vector<float>& got, const std::vector<float>& ref,
                               const Tol& tol) {
  REQUIRE(got.size() == layout.total());
  REQUIRE(ref.size() == layout.total());
  bool ok = true;
  for (const TensorSpec& t : layout.tensors())
    ok &= check_close(what + " " + t.name, got.data() + t.offset, ref.data() + t.offset, t.count,
                      tol, t.shape);
  return ok;
}

inline size_t count_nonfinite(const std::vector<float>& v) {
  size_t n = 0;
  for (float x : v) n += std::isfinite(x) ? 0 : 1;
  return n;
}

inline void check_finite(const std::string& name, const std::vector<float>& v) {
  const size_t bad = count_nonfinite(v);
  INFO(name << ": " << bad << " of " << v.size() << " elements are NaN/Inf");
  CHECK(bad == 0);
}

inline bool bitwise_equal(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// First index where two buffers differ bitwise (size when equal), for messages.
inline size_t first_bit_difference(const std::vector<float>& a, const std::vector<float>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i)
    if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0) return i;
  return a.size() == b.size() ? a.size() : std::min(a.size(), b.size());
}

}  // namespace test
}  // namespace rrcnn
