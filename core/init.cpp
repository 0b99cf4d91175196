// LeCun truncated-normal and zero initialisation of the flat parameter buffer.
#include "core/init.h"

#include <cmath>

#include "core/rng.h"

namespace rrcnn {

double lecun_truncated_std(int fan_in) { return std::sqrt(1.0 / fan_in) / 0.87962566103423978; }

float truncated_normal(uint64_t seed, uint32_t tensor, uint32_t index) {
  const RngKey key = rng_key(seed, RngStream::kInit);
  for (uint32_t attempt = 0;; ++attempt) {
    const Philox4 r = rng_draw(key, tensor, attempt, 0, index);
    const float z = rng_normal(r.v[0], r.v[1]);
    if (z >= -2.0f && z <= 2.0f) return z;
  }
}

std::vector<float> init_params(const ParamLayout& layout, uint64_t seed) {
  std::vector<float> flat(layout.total(), 0.0f);
  const auto& tensors = layout.tensors();
  const size_t last_kernel = tensors.size() - 2;  // the output layer's kernel starts at zero
  for (size_t ti = 0; ti < tensors.size(); ++ti) {
    const TensorSpec& t = tensors[ti];
    const bool is_kernel = t.shape.size() >= 2;
    if (!is_kernel || ti == last_kernel) continue;
    // fan_in: every axis but the last (3*3*C for the conv, the input width for dense layers).
    int fan_in = 1;
    for (size_t d = 0; d + 1 < t.shape.size(); ++d) fan_in *= t.shape[d];
    const double sd = lecun_truncated_std(fan_in);
    for (size_t i = 0; i < t.count; ++i)
      flat[t.offset + i] = static_cast<float>(sd * truncated_normal(seed, uint32_t(ti), uint32_t(i)));
  }
  return flat;
}

}  // namespace rrcnn
