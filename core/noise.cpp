// Noisy digits and dropout masks on the host, from the shared counter-based generator.
#include "core/noise.h"

#include "core/cell_math.h"
#include "core/parallel.h"

namespace rrcnn {

std::vector<float> batch_alphas(int batch, float alpha, uint64_t seed, uint32_t episode) {
  std::vector<float> a(batch);
  for (int b = 0; b < batch; ++b)
    a[b] = sample_alpha(alpha, seed, episode, uint32_t(b));
  return a;
}

void make_noisy_batch(const float* clean, int batch, int pixels, float alpha, uint64_t seed,
                      uint32_t episode, float* noisy) {
  const std::vector<float> alphas = batch_alphas(batch, alpha, seed, episode);
  parallel_for(size_t(batch) * pixels, 4096, [&](size_t a, size_t e) {
    for (size_t i = a; i < e; ++i) {
      const uint32_t b = uint32_t(i / pixels), p = uint32_t(i % pixels);
      noisy[i] = noisy_pixel(clean[i], alphas[b], draw_noise(seed, episode, b, p));
    }
  });
}

void make_keep_masks(int batch, int cells, uint32_t first_step, int steps, float rate,
                     uint64_t seed, uint32_t episode, uint8_t* keep) {
  const float keep_prob = 1.0f - rate;
  parallel_for(size_t(batch) * cells * steps, 8192, [&](size_t a, size_t e) {
    for (size_t i = a; i < e; ++i) {
      const MaskIndex m = split_mask_index(i, batch, cells);
      keep[i] = rate <= 0.0f ? 1
                             : draw_keep(seed, episode, first_step + m.step, m.sample, m.cell,
                                         keep_prob);
    }
  });
}

}  // namespace rrcnn
