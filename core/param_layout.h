// The flat parameter buffer and its named views. All parameters live in one contiguous float
// vector so checkpoints are one write, the optimiser is one loop, and a parity test can name the
// exact tensor that differs. The perception kernel comes first, so the trained tensors form one
// contiguous tail [trained_offset, total): the MLP when the kernel is frozen (the reference),
// the whole buffer (trained_offset 0) with ModelConfig::train_perception.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/config.h"

namespace rrcnn {

struct TensorSpec {
  std::string name;            // "perceive.kernel", "update.layers.0.kernel", ...
  std::vector<int> shape;      // row-major
  size_t offset = 0;           // into the flat buffer
  size_t count = 0;
  bool trained = false;
};

class ParamLayout {
 public:
  explicit ParamLayout(const ModelConfig& config);

  const std::vector<TensorSpec>& tensors() const { return tensors_; }
  const TensorSpec& find(const std::string& name) const;  // throws if absent
  size_t total() const { return total_; }
  size_t trained_offset() const { return trained_offset_; }
  size_t trained_count() const { return total_ - trained_offset_; }

  // Indices into tensors(): layer l's kernel (in, out) and bias (out).
  const TensorSpec& perceive_kernel() const { return tensors_[0]; }
  const TensorSpec& layer_kernel(int l) const { return tensors_[1 + 2 * l]; }
  const TensorSpec& layer_bias(int l) const { return tensors_[2 + 2 * l]; }

 private:
  std::vector<TensorSpec> tensors_;
  size_t total_ = 0;
  size_t trained_offset_ = 0;
};

// Typed pointers into a flat buffer, one per layer; T is float for the backends and double for
// the finite-difference checks.
template <typename T>
struct ParamPtrs {
  T* kernel = nullptr;          // (3, 3, C, P)
  std::vector<T*> w;            // layer l: (in_l, out_l)
  std::vector<T*> b;            // layer l: (out_l)
};

template <typename T>
ParamPtrs<T> param_ptrs(const ParamLayout& layout, T* flat) {
  ParamPtrs<T> p;
  p.kernel = flat + layout.perceive_kernel().offset;
  const int layers = static_cast<int>((layout.tensors().size() - 1) / 2);
  for (int l = 0; l < layers; ++l) {
    p.w.push_back(flat + layout.layer_kernel(l).offset);
    p.b.push_back(flat + layout.layer_bias(l).offset);
  }
  return p;
}

}  // namespace rrcnn
