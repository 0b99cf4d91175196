// Host versions of the random inputs every backend draws from the shared generator: noisy
// digits for a reset or a training batch, and the per-cell dropout keep flags. The CUDA backend
// runs the same element functions (cell_math.h) in kernels.
#pragma once

#include <cstdint>
#include <vector>

namespace rrcnn {

// noisy[b, i] = clip((1 - alpha_b) clean[b, i] + alpha_b n, 0, 1); alpha_b = `alpha` when it is
// in [0, 1], else drawn from U(0, 1) per sample as in training.
void make_noisy_batch(const float* clean, int batch, int pixels, float alpha, uint64_t seed,
                      uint32_t episode, float* noisy);

// Per-sample noise levels used by make_noisy_batch (for display next to each digit).
std::vector<float> batch_alphas(int batch, float alpha, uint64_t seed, uint32_t episode);

// keep[(t, b, cell)] for steps [first_step, first_step + steps). Rate 0 gives all ones.
void make_keep_masks(int batch, int cells, uint32_t first_step, int steps, float rate,
                     uint64_t seed, uint32_t episode, uint8_t* keep);

}  // namespace rrcnn
