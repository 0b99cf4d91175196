// Parameter initialisation as the original does it (flax nnx defaults used by cax): LeCun
// normal (truncated at +-2 sd, rescaled so the variance is 1/fan_in) for the perception kernel
// and the hidden layers, zeros for the last layer ("zeros_init") and for every bias.
#pragma once

#include <cstdint>
#include <vector>

#include "core/param_layout.h"

namespace rrcnn {

// Fills a flat buffer of layout.total() floats; same seed, same parameters on every machine.
std::vector<float> init_params(const ParamLayout& layout, uint64_t seed);

// Truncated standard normal in [-2, 2] from the counter-based generator (rejection sampling,
// the attempt number is part of the counter).
float truncated_normal(uint64_t seed, uint32_t tensor, uint32_t index);

// sqrt(1 / fan_in) / 0.8796...: the std of the untruncated normal whose +-2 sd truncation has
// variance 1 / fan_in (jax.nn.initializers.variance_scaling, "truncated_normal").
double lecun_truncated_std(int fan_in);

}  // namespace rrcnn
