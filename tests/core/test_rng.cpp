// The counter-based generator: known answers, reproducibility, independence of streams.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/cell_math.h"
#include "core/noise.h"
#include "core/rng.h"

using namespace rrcnn;

TEST_CASE("philox4x32-10 matches the Random123 known-answer vectors") {
  const Philox4 a = philox4x32_10({{0, 0, 0, 0}}, 0, 0);
  CHECK(a.v[0] == 0x6627e8d5u);
  CHECK(a.v[1] == 0xe169c58du);
  CHECK(a.v[2] == 0xbc57ac4cu);
  CHECK(a.v[3] == 0x9b00dbd8u);
  const Philox4 b = philox4x32_10({{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}},
                                  0xffffffffu, 0xffffffffu);
  CHECK(b.v[0] == 0x408f276du);
  CHECK(b.v[1] == 0x41c83b0eu);
  CHECK(b.v[2] == 0xa20bc7c6u);
  CHECK(b.v[3] == 0x6d5451fdu);
  const Philox4 c = philox4x32_10({{0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}},
                                  0xa4093822u, 0x299f31d0u);
  CHECK(c.v[0] == 0xd16cfe09u);
  CHECK(c.v[1] == 0x94fdccebu);
  CHECK(c.v[2] == 0x5001e420u);
  CHECK(c.v[3] == 0x24126ea1u);
}

TEST_CASE("same keys give the same numbers, any key change gives different ones") {
  const float n1 = draw_noise(42, 3, 1, 100);
  CHECK(draw_noise(42, 3, 1, 100) == n1);
  CHECK(draw_noise(43, 3, 1, 100) != n1);
  CHECK(draw_noise(42, 4, 1, 100) != n1);
  CHECK(draw_noise(42, 3, 2, 100) != n1);
  CHECK(draw_noise(42, 3, 1, 101) != n1);
  // Streams differ for the same counter.
  const Philox4 x = rng_draw(rng_key(42, RngStream::kNoise), 0, 0, 0, 0);
  const Philox4 y = rng_draw(rng_key(42, RngStream::kDropout), 0, 0, 0, 0);
  CHECK(x.v[0] != y.v[0]);
}

TEST_CASE("uniform and normal draws have the right moments; streams are uncorrelated") {
  const int n = 200000;
  double su = 0, su2 = 0, sn = 0, sn2 = 0, cross = 0;
  for (int i = 0; i < n; ++i) {
    const Philox4 r = rng_draw(rng_key(7, RngStream::kNoise), 0, 0, 0, uint32_t(i));
    const float u = rng_uniform(r.v[2]);
    REQUIRE(u >= 0.0f);
    REQUIRE(u < 1.0f);
    su += u;
    su2 += u * u;
    const float z = draw_noise(7, 0, 0, uint32_t(i));
    const float z2 = draw_noise(7, 0, 1, uint32_t(i));  // another sample's stream
    sn += z;
    sn2 += double(z) * z;
    cross += double(z) * z2;
  }
  CHECK(su / n == doctest::Approx(0.5).epsilon(0.01));
  CHECK(su2 / n - (su / n) * (su / n) == doctest::Approx(1.0 / 12).epsilon(0.02));
  CHECK(std::fabs(sn / n) < 0.01);
  CHECK(sn2 / n == doctest::Approx(1.0).epsilon(0.02));
  CHECK(std::fabs(cross / n) < 0.01);
}

TEST_CASE("dropout masks keep about 1 - rate of the cells and are reproducible") {
  const int batch = 4, cells = 28 * 28, steps = 16;
  std::vector<uint8_t> a(size_t(batch) * cells * steps), b(a.size());
  make_keep_masks(batch, cells, 5, steps, 0.5f, 11, 2, a.data());
  make_keep_masks(batch, cells, 5, steps, 0.5f, 11, 2, b.data());
  CHECK(a == b);
  double kept = 0;
  for (uint8_t k : a) kept += k;
  CHECK(kept / a.size() == doctest::Approx(0.5).epsilon(0.02));
  // Asking for one step at a time reproduces the block (the live view draws step by step).
  std::vector<uint8_t> one(size_t(batch) * cells);
  make_keep_masks(batch, cells, 5 + 3, 1, 0.5f, 11, 2, one.data());
  CHECK(std::equal(one.begin(), one.end(), a.begin() + 3 * batch * cells));
  make_keep_masks(batch, cells, 0, 1, 0.0f, 11, 2, one.data());
  for (uint8_t k : one) REQUIRE(k == 1);
}

TEST_CASE("noisy batches follow the training recipe") {
  const int pixels = 50;
  std::vector<float> clean(2 * pixels, 0.5f), noisy(clean.size());
  make_noisy_batch(clean.data(), 2, pixels, 0.0f, 1, 0, noisy.data());
  CHECK(noisy == clean);  // alpha 0: the clean digit
  make_noisy_batch(clean.data(), 2, pixels, -1.0f, 1, 0, noisy.data());
  const std::vector<float> alphas = batch_alphas(2, -1.0f, 1, 0);
  for (int b = 0; b < 2; ++b)
    for (int p = 0; p < pixels; ++p) {
      const float v = noisy[b * pixels + p];
      REQUIRE(v >= 0.0f);
      REQUIRE(v <= 1.0f);
      const float expect = (1 - alphas[b]) * 0.5f + alphas[b] * draw_noise(1, 0, uint32_t(b), uint32_t(p));
      CHECK(v == std::min(1.0f, std::max(0.0f, expect)));
    }
}
