// Shared inputs of the GPU suite: the configurations compared (odd small ones and the seed
// preset), parameters perturbed so every trained tensor matters (the zero-initialised last
// layer would otherwise make the dynamics trivial), synthetic digits and dropout masks.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/brush.h"
#include "core/config.h"
#include "core/cpu_backend.h"
#include "core/init.h"
#include "core/noise.h"
#include "core/param_layout.h"
#include "tests/core/odd_configs.h"

namespace rrcnn {
namespace test {

struct NamedConfig {
  std::string name;
  ModelConfig config;
  int batch;  // batch used with it (small for the seed config: the CPU reference is the cost)
};

// 5x7 grid, C=4, P=6, hidden {8,8}: every dimension different, nothing a power of two.
inline ModelConfig odd_config() {
  ModelConfig c;
  c.height = 5;
  c.width = 7;
  c.channels = 4;
  c.perception = 6;
  c.hidden = {8, 8};
  c.rollout_steps = 6;
  c.dropout_rate = 0.5f;
  c.preset = "odd";
  return c;
}

// Another odd shape with one hidden layer of width 9 and a single-row-ish grid.
inline ModelConfig odd_config_2() {
  ModelConfig c;
  c.height = 3;
  c.width = 11;
  c.channels = 5;
  c.perception = 3;
  c.hidden = {9};
  c.rollout_steps = 5;
  c.dropout_rate = 0.25f;
  c.preset = "odd2";
  return c;
}

// Three hidden layers of different widths: exercises the activation-gradient ping-pong buffers.
inline ModelConfig odd_config_3() {
  ModelConfig c;
  c.height = 6;
  c.width = 4;
  c.channels = 3;
  c.perception = 7;
  c.hidden = {5, 12, 6};
  c.rollout_steps = 4;
  c.dropout_rate = 0.5f;
  c.preset = "odd3";
  return c;
}

// The odd sizes of issue 18 (tests/core/odd_configs.h, the CPU suite's too), the first with a
// trained perception kernel (ModelConfig::train_perception), the second frozen as the reference.
inline ModelConfig issue18_config_a() { return with_trained_perception(odd18_a()); }
inline ModelConfig issue18_config_b() { return odd18_b(); }

// Indices 0..2 are used by name in the tests; the issue-18 configs come after them.
inline std::vector<NamedConfig> small_configs() {
  return {{"odd 5x7 C4 P6 {8,8}", odd_config(), 3},
          {"odd 3x11 C5 P3 {9}", odd_config_2(), 2},
          {"odd 6x4 C3 P7 {5,12,6}", odd_config_3(), 4},
          {"odd 6x7 C5 P7 {13,17} trained perception", issue18_config_a(), 3},
          {"odd 5x9 C24 P20 {40,24}", issue18_config_b(), 2}};
}

inline NamedConfig seed_config(int batch = 2) { return {"seed", model_preset("seed"), batch}; }

// init_params(seed), then every trained tensor nudged: biases ~ N(0, 0.02^2), the last layer
// ~ N(0, (0.02 / sqrt(fan_in))^2) instead of zero, hidden kernels + N(0, 0.01^2). Large enough
// that every gradient is non-trivial, small enough that the untrained dynamics stay bounded
// (|state| < 10 after 64 steps, < 2e3 after 300 on every config here; 5x larger last layers
// grow to 1e16 in 300 steps).
inline std::vector<float> perturbed_params(const ParamLayout& layout, uint64_t seed) {
  std::vector<float> p = init_params(layout, seed);
  std::mt19937 gen(uint32_t(seed * 7919 + 13));
  std::normal_distribution<float> n01(0.0f, 1.0f);
  const auto& ts = layout.tensors();
  const size_t last_kernel = ts.size() - 2;
  for (size_t ti = 0; ti < ts.size(); ++ti) {
    const TensorSpec& t = ts[ti];
    if (!t.trained) continue;
    const bool bias = t.shape.size() == 1;
    const float sd = bias ? 0.02f
                          : (ti == last_kernel ? 0.02f / std::sqrt(float(t.shape[0])) : 0.01f);
    for (size_t i = 0; i < t.count; ++i) p[t.offset + i] += sd * n01(gen);
  }
  return p;
}

// Digit-like images in [0, 1]: a smooth blob per sample, with exact zeros at the border.
inline std::vector<float> synthetic_digits(const ModelConfig& c, int batch, uint32_t salt) {
  std::vector<float> img(size_t(batch) * c.cells());
  for (int b = 0; b < batch; ++b)
    for (int y = 0; y < c.height; ++y)
      for (int x = 0; x < c.width; ++x) {
        const float cx = 0.5f * c.width + 0.3f * float((b + salt) % 5) - 0.6f;
        const float cy = 0.5f * c.height - 0.2f * float((b * 3 + salt) % 7) + 0.6f;
        const float r2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
        float v = std::exp(-r2 / (0.08f * c.cells() + 1.0f)) * 1.2f - 0.1f;
        if (y == 0 || x == 0) v = 0.0f;
        img[(size_t(b) * c.height + y) * c.width + x] = v < 0 ? 0 : (v > 1 ? 1 : v);
      }
  return img;
}

inline std::vector<float> random_normal(size_t n, uint32_t seed, float sd) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> d(0.0f, sd);
  std::vector<float> v(n);
  for (auto& x : v) x = d(gen);
  return v;
}

inline std::vector<float> random_uniform(size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> d(0.0f, 1.0f);
  std::vector<float> v(n);
  for (auto& x : v) x = d(gen);
  return v;
}

inline std::vector<uint8_t> random_masks(size_t n, uint32_t seed, float keep_prob) {
  std::mt19937 gen(seed);
  std::bernoulli_distribution d(keep_prob);
  std::vector<uint8_t> v(n);
  for (auto& x : v) x = d(gen) ? 1 : 0;
  return v;
}

// The full-layout gradient of one train_step(clean, batch, seed, episode) from `params`, on the
// CPU: the same noisy start and keep masks train_step draws, through loss_and_grad.
inline std::vector<float> step_gradient(const ModelConfig& c, const std::vector<float>& params,
                                        const std::vector<float>& clean, int batch, uint64_t seed,
                                        uint32_t episode) {
  CpuBackend be(c);
  be.set_params(params);
  std::vector<float> noisy(clean.size());
  make_noisy_batch(clean.data(), batch, c.cells(), -1.0f, seed, episode, noisy.data());
  std::vector<uint8_t> masks;
  if (c.dropout_rate > 0.0f) {
    masks.resize(size_t(c.rollout_steps) * batch * c.cells());
    make_keep_masks(batch, c.cells(), 0, c.rollout_steps, c.dropout_rate, seed, episode,
                    masks.data());
  }
  std::vector<float> grad;
  be.loss_and_grad(initial_state(c, noisy), clean, batch, c.rollout_steps, masks, grad);
  return grad;
}

// The stroke the brush tests apply: a capsule across a grid `width` cells wide.
inline BrushStroke test_stroke(int sample, BrushMode mode, int width) {
  BrushStroke s;
  s.sample = sample;
  s.x0 = 1.2f;
  s.y0 = 2.7f;
  s.x1 = width - 1.1f;
  s.y1 = 1.1f;
  s.radius = 1.3f;
  s.mode = mode;
  s.strength = 0.8f;
  s.serial = 5;
  return s;
}

// Every parameter nudged by one ulp, alternately up and down: the start of the reference's own
// sensitivity run (compare.h, sensitivity_slack).
inline std::vector<float> nudged_by_one_ulp(std::vector<float> p) {
  for (size_t i = 0; i < p.size(); ++i) p[i] = std::nextafter(p[i], i % 2 ? 1e30f : -1e30f);
  return p;
}

}  // namespace test
}  // namespace rrcnn
