// Per-element formulas of the RRCNN, written once and called by the CPU loops in core/ and by
// the CUDA kernels in gpu/. Keep them plain expressions: the order of float operations here is
// the order the original (JAX/optax) uses, which is what parity with it rests on.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "core/hd.h"
#include "core/rng.h"

namespace rrcnn {

// Noisy input as in training: clip((1 - alpha) * clean + alpha * noise, 0, 1).
RRCNN_HD float noisy_pixel(float clean, float alpha, float noise) {
  const float v = (1.0f - alpha) * clean + alpha * noise;
  return v < 0.0f ? 0.0f : (v > 1.0f ? 1.0f : v);
}

// Noise draws for one pixel and one sample's level; the counter layout is fixed so both
// backends produce the same batch from the same (seed, episode).
RRCNN_HD float draw_alpha(uint64_t seed, uint32_t episode, uint32_t sample) {
  const Philox4 r = rng_draw(rng_key(seed, RngStream::kAlpha), episode, 0, sample, 0);
  return rng_uniform(r.v[0]);
}
RRCNN_HD float draw_noise(uint64_t seed, uint32_t episode, uint32_t sample, uint32_t pixel) {
  const Philox4 r = rng_draw(rng_key(seed, RngStream::kNoise), episode, 0, sample, pixel);
  return rng_normal(r.v[0], r.v[1]);
}

// The noise level of one sample: a fixed `alpha` in [0, 1], anything else (e.g. -1) draws one
// per sample as in training.
RRCNN_HD float sample_alpha(float alpha, uint64_t seed, uint32_t episode, uint32_t sample) {
  return (alpha >= 0.0f && alpha <= 1.0f) ? alpha : draw_alpha(seed, episode, sample);
}

// Position of flat element i of a (steps, B, cells) keep-mask block: which step (relative to
// the block's first), sample and cell it belongs to.
struct MaskIndex {
  uint32_t step, sample, cell;
};
RRCNN_HD MaskIndex split_mask_index(size_t i, int batch, int cells) {
  const size_t per_step = size_t(batch) * size_t(cells);
  const size_t in_step = i % per_step;
  return {uint32_t(i / per_step), uint32_t(in_step / size_t(cells)),
          uint32_t(in_step % size_t(cells))};
}

// Cell dropout: one Bernoulli(keep) draw per (episode, step, sample, cell), shared by channels.
RRCNN_HD uint8_t draw_keep(uint64_t seed, uint32_t episode, uint32_t step, uint32_t sample,
                           uint32_t cell, float keep_prob) {
  const Philox4 r = rng_draw(rng_key(seed, RngStream::kDropout), episode, step, sample, cell);
  return rng_uniform(r.v[0]) < keep_prob ? 1 : 0;
}

// nnx.Dropout: select(mask, x / keep_prob, 0). A division, not a multiply by 1/keep, to match.
template <typename T>
RRCNN_HD T dropout_apply(T update, uint8_t keep, T keep_prob) {
  return keep ? update / keep_prob : T(0);
}

// Residual step: s + step_size * dropped_update.
template <typename T>
RRCNN_HD T residual(T state, T dropped_update, T step_size) {
  return state + step_size * dropped_update;
}

// d(next)/d(update) for one element, i.e. the chain rule through dropout and the step size.
template <typename T>
RRCNN_HD T residual_update_grad(T dnext, uint8_t keep, T keep_prob, T step_size) {
  return keep ? (step_size * dnext) / keep_prob : T(0);
}

template <typename T>
RRCNN_HD T relu(T x) {
  return x > T(0) ? x : T(0);
}

// Gradient through relu given the activation's output (zero where it was clipped).
template <typename T>
RRCNN_HD T relu_grad(T dout, T out) {
  return out > T(0) ? dout : T(0);
}

// Rendering as the reference does it: clip to [0, 1], times 255, truncate.
RRCNN_HD uint8_t render_pixel(float v) {
  if (!(v > 0.0f)) return 0;  // also maps NaN to black
  if (v >= 1.0f) return 255;
  return static_cast<uint8_t>(v * 255.0f);
}

// optax.linear_schedule: count clipped to [0, transition], init -> end linearly.
RRCNN_HD float linear_schedule(float init, float end, int transition, long long count) {
  if (transition <= 0) return end;
  if (count < 0) count = 0;
  if (count > transition) count = transition;
  const float frac = 1.0f - static_cast<float>(count) / static_cast<float>(transition);
  return (init - end) * frac + end;
}

// optax.clip_by_global_norm: scale when norm >= max_norm, also when the norm is NaN (the
// comparison is false), each gradient as (g / norm) * max_norm with the norm rounded to float.
RRCNN_HD bool clip_active(double norm, float max_norm) { return !(norm < max_norm); }
RRCNN_HD float clip_element(float grad, float norm, float max_norm) {
  return (grad / norm) * max_norm;
}

// One Adam element (optax.adam: bias-corrected moments, eps after the square root, eps_root 0).
// `step` is the 1-based update count after this update.
struct AdamHyper {
  float lr, b1, b2, eps;
  float one_minus_b1, one_minus_b2;  // 1 - b computed in double, then rounded, as optax does
  float bias1, bias2;  // 1 - b1^step, 1 - b2^step in float32, computed once per update
};

RRCNN_HD void adam_element(float* param, float* mu, float* nu, float grad, const AdamHyper& h) {
  const float m = h.one_minus_b1 * grad + h.b1 * *mu;
  const float v = h.one_minus_b2 * (grad * grad) + h.b2 * *nu;
  *mu = m;
  *nu = v;
  const float mhat = m / h.bias1;
  const float vhat = v / h.bias2;
  *param = *param + (-h.lr) * (mhat / (sqrtf(vhat) + h.eps));
}

}  // namespace rrcnn
