// Counter-based random numbers (Philox4x32-10, Salmon et al. 2011), shared by the CPU and CUDA
// backends so both draw bit-identical noise and dropout masks. Every draw is a pure function of
// (seed, stream, episode, step, sample, index): no generator state to carry or split, any value
// reproducible in isolation, and a GPU thread computes its own number without coordination.
#pragma once

#include <cmath>
#include <cstdint>

#include "core/hd.h"

namespace rrcnn {

// What a draw is for. Folding the stream into the key makes the purposes independent.
enum class RngStream : uint32_t {
  kAlpha = 1,      // per-sample noise level
  kNoise = 2,      // per-pixel Gaussian noise
  kDropout = 3,    // per-cell keep/drop
  kSampleIndex = 4,// which training digits form a batch
  kBrush = 5,      // noise brush in the live view
  kInit = 6,       // parameter initialisation
  kPool = 7,       // sample-pool training: picks, fresh digits, horizons, damage
};

struct Philox4 {
  uint32_t v[4];
};

RRCNN_HD uint32_t philox_mulhi(uint32_t a, uint32_t b, uint32_t* lo) {
  const uint64_t p = static_cast<uint64_t>(a) * static_cast<uint64_t>(b);
  *lo = static_cast<uint32_t>(p);
  return static_cast<uint32_t>(p >> 32);
}

RRCNN_HD Philox4 philox4x32_10(Philox4 ctr, uint32_t k0, uint32_t k1) {
  const uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
  const uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    uint32_t lo0, lo1;
    const uint32_t hi0 = philox_mulhi(kM0, ctr.v[0], &lo0);
    const uint32_t hi1 = philox_mulhi(kM1, ctr.v[2], &lo1);
    Philox4 next;
    next.v[0] = hi1 ^ ctr.v[1] ^ k0;
    next.v[1] = lo1;
    next.v[2] = hi0 ^ ctr.v[3] ^ k1;
    next.v[3] = lo0;
    ctr = next;
    k0 += kW0;
    k1 += kW1;
  }
  return ctr;
}

// One key per (seed, stream): the stream is mixed into the upper key word.
struct RngKey {
  uint32_t k0, k1;
};

RRCNN_HD RngKey rng_key(uint64_t seed, RngStream stream) {
  RngKey key;
  key.k0 = static_cast<uint32_t>(seed);
  key.k1 = static_cast<uint32_t>(seed >> 32) ^ (static_cast<uint32_t>(stream) * 0x85EBCA6Bu);
  return key;
}

// The counter names one draw: index within a sample (pixel or cell), sample, step, episode.
RRCNN_HD Philox4 rng_draw(RngKey key, uint32_t episode, uint32_t step, uint32_t sample,
                          uint32_t index) {
  Philox4 ctr = {{index, sample, step, episode}};
  return philox4x32_10(ctr, key.k0, key.k1);
}

// Uniform in [0, 1) with 24 random bits: exactly representable in float, never 1.
RRCNN_HD float rng_uniform(uint32_t bits) {
  return static_cast<float>(bits >> 8) * (1.0f / 16777216.0f);
}

// Uniform in (0, 1]: safe under log().
RRCNN_HD float rng_uniform_open0(uint32_t bits) {
  return (static_cast<float>(bits >> 8) + 1.0f) * (1.0f / 16777216.0f);
}

// Standard normal by Box-Muller from two words. Computed in double so host and device agree to
// the last bit regardless of each side's float libm (both round one correctly rounded-ish double
// result to float; differences would need a double error of half a float ulp).
RRCNN_HD float rng_normal(uint32_t a, uint32_t b) {
  const double u1 = rng_uniform_open0(a);
  const double u2 = rng_uniform(b);
  const double r = sqrt(-2.0 * log(u1));
  return static_cast<float>(r * cos(6.283185307179586 * u2));
}

}  // namespace rrcnn
