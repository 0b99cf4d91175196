// Tensor comparison for the GPU suites: |got - ref| <= atol + atol_rel * max|ref| + rtol * |ref|
// + slack[i] per element, reporting the worst element of each tensor by name (and multi-index)
// and NaN/Inf counts. A few elements may be let past the tolerance only where a gate says the
// math allows it (Adam's sign-like step where the reference gradient sits at the rounding
// noise); an element the gate does not cover never passes past the tolerance. The evaluate_*
// functions are pure (no doctest), so tests/gpu/test_compare.cpp checks on the CPU that a wrong
// value fails; the check_* wrappers turn them into doctest checks.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
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
  size_t outliers = 0;       // elements allowed past the tolerance ...
  double outlier_abs = 0;    // ... never past this absolute error ...
  const uint8_t* gate = nullptr;  // ... and, when set, only where gate[i] != 0
  const double* slack = nullptr;  // extra absolute allowance per element (nullptr: none)
};

struct Comparison {
  size_t count = 0, violations = 0, nonfinite = 0;
  size_t worst = 0;          // index of the element with the largest error / allowed ratio
  double worst_ratio = 0;    // error / allowed of that element (<= 1 passes)
  double worst_abs = 0;      // largest absolute error
  double max_ref = 0;
  bool ok = true;
  std::string text;          // one line: what was compared and how it went
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

inline Comparison evaluate(const std::string& name, const float* got, const float* ref, size_t n,
                           const Tol& tol, const std::vector<int>& shape = {}) {
  Comparison c;
  c.count = n;
  for (size_t i = 0; i < n; ++i) c.max_ref = std::fmax(c.max_ref, std::fabs(double(ref[i])));
  const double base = tol.atol + tol.atol_rel * c.max_ref;
  for (size_t i = 0; i < n; ++i) {
    const double g = got[i], r = ref[i];
    if (!std::isfinite(g) || !std::isfinite(r)) {
      if (c.nonfinite++ == 0) c.worst = i;  // the first NaN/Inf is the worst element
      c.worst_ratio = INFINITY;
      c.ok = false;
      continue;
    }
    const double err = std::fabs(g - r);
    const double allowed = base + tol.rtol * std::fabs(r) + (tol.slack ? tol.slack[i] : 0.0);
    const double ratio = allowed > 0 ? err / allowed : (err > 0 ? INFINITY : 0.0);
    if (ratio > c.worst_ratio || i == 0) {
      c.worst_ratio = ratio;
      c.worst = i;
    }
    c.worst_abs = std::fmax(c.worst_abs, err);
    if (ratio > 1) {
      ++c.violations;
      const bool may_pass = err <= tol.outlier_abs && (!tol.gate || tol.gate[i]);
      if (!may_pass) c.ok = false;
    }
  }
  if (c.violations > tol.outliers) c.ok = false;
  std::ostringstream os;
  os << name << ": " << n << " elements, max|ref| " << c.max_ref;
  if (n)
    os << ", worst " << unravel(c.worst, shape) << " got " << got[c.worst] << " ref "
       << ref[c.worst] << " (error/allowed " << c.worst_ratio << ")";
  os << ", max abs error " << c.worst_abs << ", " << c.violations << " past tolerance, "
     << c.nonfinite << " NaN/Inf" << (c.ok ? "" : "  <-- FAIL");
  c.text = os.str();
  return c;
}

// One doctest CHECK per tensor; the message names the worst element.
inline bool check_close(const std::string& name, const float* got, const float* ref, size_t n,
                        const Tol& tol, const std::vector<int>& shape = {}) {
  const Comparison c = evaluate(name, got, ref, n, tol, shape);
  INFO(c.text);
  CHECK(c.ok);
  if (c.ok && c.violations) MESSAGE(c.text);
  return c.ok;
}

inline bool check_close(const std::string& name, const std::vector<float>& got,
                        const std::vector<float>& ref, const Tol& tol,
                        const std::vector<int>& shape = {}) {
  INFO(name << ": got " << got.size() << " elements, ref " << ref.size());
  REQUIRE(got.size() == ref.size());
  return check_close(name, got.data(), ref.data(), got.size(), tol, shape);
}

// Per tensor of the flat parameter layout (params, gradients), named as in checkpoints. The
// tolerance's gate and slack, when set, index the whole flat layout.
inline std::vector<Comparison> evaluate_params(const std::string& what, const ParamLayout& layout,
                                               const std::vector<float>& got,
                                               const std::vector<float>& ref, const Tol& tol) {
  std::vector<Comparison> out;
  for (const TensorSpec& t : layout.tensors()) {
    Tol part = tol;
    if (tol.gate) part.gate = tol.gate + t.offset;
    if (tol.slack) part.slack = tol.slack + t.offset;
    out.push_back(evaluate(what + " " + t.name, got.data() + t.offset, ref.data() + t.offset,
                           t.count, part, t.shape));
  }
  return out;
}

inline bool all_ok(const std::vector<Comparison>& v) {
  for (const Comparison& c : v)
    if (!c.ok) return false;
  return true;
}

inline bool check_params_close(const std::string& what, const ParamLayout& layout,
                               const std::vector<float>& got, const std::vector<float>& ref,
                               const Tol& tol) {
  REQUIRE(got.size() == layout.total());
  REQUIRE(ref.size() == layout.total());
  bool ok = true;
  for (const Comparison& c : evaluate_params(what, layout, got, ref, tol)) {
    INFO(c.text);
    CHECK(c.ok);
    if (c.ok && c.violations) MESSAGE(c.text);
    ok &= c.ok;
  }
  return ok;
}

// Where one Adam step may go the other way on another backend: the reference gradient is
// within `rel` of its tensor's largest |gradient| (the rounding noise between two float
// implementations is about 1e-5 of it; see tests/gpu/test_training.cpp).
inline std::vector<uint8_t> adam_flip_gate(const ParamLayout& layout,
                                           const std::vector<float>& grad, double rel) {
  std::vector<uint8_t> gate(grad.size(), 0);
  for (const TensorSpec& t : layout.tensors()) {
    double mx = 0;
    for (size_t i = 0; i < t.count; ++i) mx = std::fmax(mx, std::fabs(double(grad[t.offset + i])));
    for (size_t i = 0; i < t.count; ++i)
      gate[t.offset + i] = std::fabs(double(grad[t.offset + i])) <= rel * mx ? 1 : 0;
  }
  return gate;
}

// Per-element slack from the reference's own sensitivity: `factor` times how far the reference
// moved when its start was nudged by one ulp. Where training amplifies rounding, two float
// implementations may drift as far apart as the reference does from itself.
inline std::vector<double> sensitivity_slack(const std::vector<float>& ref,
                                             const std::vector<float>& ref_nudged, double factor) {
  std::vector<double> s(ref.size());
  for (size_t i = 0; i < ref.size(); ++i)
    s[i] = factor * std::fabs(double(ref[i]) - double(ref_nudged[i]));
  return s;
}

// Per-step comparison of two trajectories of `frame` floats per step, each step against its
// own max|ref| (a late, larger state never loosens an early step). Returns the first failing
// step (or -1) and writes each step's comparison.
inline int evaluate_steps(const std::string& name, const std::vector<float>& got,
                          const std::vector<float>& ref, size_t frame, const Tol& tol,
                          std::vector<Comparison>* per_step) {
  int first_bad = -1;
  const size_t steps = frame ? ref.size() / frame : 0;
  for (size_t t = 0; t < steps; ++t) {
    Comparison c = evaluate(name + " step " + std::to_string(t + 1), got.data() + t * frame,
                            ref.data() + t * frame, frame, tol);
    if (!c.ok && first_bad < 0) first_bad = int(t);
    if (per_step) per_step->push_back(std::move(c));
  }
  return first_bad;
}

inline bool check_steps(const std::string& name, const std::vector<float>& got,
                        const std::vector<float>& ref, size_t frame, const Tol& tol) {
  REQUIRE(got.size() == ref.size());
  REQUIRE(frame > 0);
  REQUIRE(ref.size() % frame == 0);
  std::vector<Comparison> steps;
  const int bad = evaluate_steps(name, got, ref, frame, tol, &steps);
  size_t worst = 0;
  for (size_t t = 0; t < steps.size(); ++t)
    if (steps[t].worst_ratio > steps[worst].worst_ratio) worst = t;
  INFO(name << ": " << steps.size() << " steps; worst " << steps[worst].text);
  if (bad >= 0) INFO("first step past tolerance: " << steps[size_t(bad)].text);
  CHECK(bad < 0);
  return bad < 0;
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
