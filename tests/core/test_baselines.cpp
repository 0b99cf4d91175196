// The classic denoisers `rrcnn eval --baselines` compares against, their parameter choice, and
// the metrics the eval reports (intervals, diverged states, the repair region), including a
// model that really blows up.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/baselines.h"
#include "core/cpu_backend.h"
#include "core/error.h"
#include "core/init.h"
#include "core/metrics.h"

using namespace rrcnn;

namespace {

double mse(const std::vector<float>& a, const std::vector<float>& b) {
  return clipped_mse(a.data(), b.data(), a.size());
}

// A fixed pseudo-random pattern in [-1, 1] (no RNG needed for these tests).
float pattern(size_t i) { return float((i * 7919 + 13) % 201) / 100.0f - 1.0f; }

}  // namespace

TEST_CASE("a Gaussian blur keeps a constant image constant, up to the borders") {
  const int h = 9, w = 13;
  const std::vector<float> img(size_t(h) * w, 0.37f);
  std::vector<float> out(img.size());
  for (float sigma : {0.25f, 1.0f, 2.5f, 6.0f}) {
    gaussian_blur(img.data(), h, w, sigma, out.data());
    for (float v : out) REQUIRE(v == doctest::Approx(0.37f).epsilon(1e-6));
  }
}

TEST_CASE("a Gaussian blur spreads an impulse symmetrically with weights summing to 1") {
  const int h = 15, w = 15;
  std::vector<float> img(size_t(h) * w, 0.0f), out(img.size());
  img[7 * w + 7] = 1.0f;
  gaussian_blur(img.data(), h, w, 1.0f, out.data());
  double sum = 0;
  for (float v : out) sum += v;
  CHECK(sum == doctest::Approx(1.0).epsilon(1e-6));
  CHECK(out[7 * w + 7] > out[7 * w + 8]);
  CHECK(out[7 * w + 8] == doctest::Approx(out[7 * w + 6]));
  CHECK(out[6 * w + 7] == doctest::Approx(out[7 * w + 6]));
  // Separable: the centre weight is the square of the 1-D centre weight.
  double k1 = 0;
  for (int i = -3; i <= 3; ++i) k1 += std::exp(-0.5 * i * i);
  CHECK(out[7 * w + 7] == doctest::Approx(1.0 / (k1 * k1)).epsilon(1e-5));
  gaussian_blur(img.data(), h, w, 0.0f, out.data());
  CHECK(out == img);
}

TEST_CASE("a median filter removes salt noise and keeps a step edge") {
  const int h = 12, w = 12;
  std::vector<float> img(size_t(h) * w, 0.2f), out(img.size());
  for (int y = 1; y < h; y += 3)
    for (int x = 1; x < w; x += 4) img[size_t(y) * w + x] = 1.0f;  // isolated salt pixels
  median_filter(img.data(), h, w, 3, out.data());
  for (float v : out) REQUIRE(v == 0.2f);

  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) img[size_t(y) * w + x] = x < 5 ? 0.0f : 1.0f;
  median_filter(img.data(), h, w, 3, out.data());
  CHECK(out == img);
  median_filter(img.data(), h, w, 1, out.data());
  CHECK(out == img);
  CHECK_THROWS_AS(median_filter(img.data(), h, w, 4, out.data()), Error);
}

TEST_CASE("filter_batch filters each image of a batch on its own") {
  const int h = 4, w = 5;
  std::vector<float> batch(size_t(2) * h * w, 0.0f);
  for (size_t i = h * w; i < batch.size(); ++i) batch[i] = 0.8f;
  const auto out = filter_batch(batch, h, w, [&](const float* in, float* o) { gaussian_blur(in, h, w, 2.0f, o); });
  for (size_t i = 0; i < batch.size(); ++i) REQUIRE(out[i] == doctest::Approx(batch[i]).epsilon(1e-6));
  CHECK_THROWS_AS(filter_batch(std::vector<float>(7), h, w, [](const float*, float*) {}), Error);
}

TEST_CASE("mean_image averages per pixel") {
  const std::vector<float> imgs = {0, 1, 2, 4, 3, 5};  // three images of two pixels
  const auto m = mean_image(imgs.data(), 3, 2);
  CHECK(m[0] == doctest::Approx(5.0 / 3));
  CHECK(m[1] == doctest::Approx(10.0 / 3));
}

TEST_CASE("choose_parameter picks the candidate with the lowest loss, the first on ties") {
  const auto c = blur_sigma_candidates();
  const ParameterChoice q = choose_parameter(c, [](float s) { return (s - 1.5) * (s - 1.5); });
  CHECK(q.value == 1.5f);
  CHECK(q.losses.size() == c.size());
  CHECK(choose_parameter({3, 5, 7}, [](float) { return 1.0; }).value == 3.0f);
  CHECK_THROWS_AS(choose_parameter({}, [](float) { return 0.0; }), Error);
}

TEST_CASE("sigma selection on synthetic digits picks the sigma that made the target") {
  const int h = 16, w = 16, n = h * w;
  // The target is the noisy image blurred with sigma 1.25: only that candidate reaches loss 0.
  std::vector<float> noisy(n), target(n), sharp(n), out(n);
  for (int i = 0; i < n; ++i) noisy[i] = 0.5f + 0.4f * pattern(size_t(i));
  gaussian_blur(noisy.data(), h, w, 1.25f, target.data());
  const auto loss = [&](float s) {
    gaussian_blur(noisy.data(), h, w, s, out.data());
    return mse(out, target);
  };
  const auto cands = blur_sigma_candidates();
  const ParameterChoice q = choose_parameter(cands, loss);
  CHECK(q.value == 1.25f);
  CHECK(q.loss == doctest::Approx(0.0));
  for (float s : cands) CHECK(q.loss <= loss(s));
  // A checkerboard with no noise: any blur only loses detail, so the narrowest wins.
  for (int i = 0; i < n; ++i) sharp[i] = ((i / w + i % w) % 2) ? 1.0f : 0.0f;
  const auto sharp_loss = [&](float s) {
    gaussian_blur(sharp.data(), h, w, s, out.data());
    return mse(out, sharp);
  };
  CHECK(choose_parameter(cands, sharp_loss).value == cands.front());
}

TEST_CASE("summaries: mean, 95% interval, PSNR of the mean MSE with its interval") {
  const Summary s = summarize({1, 2, 3, 4});
  CHECK(s.n == 4);
  CHECK(s.mean == doctest::Approx(2.5));
  CHECK(s.sd == doctest::Approx(std::sqrt(5.0 / 3)));
  CHECK(s.ci95 == doctest::Approx(1.96 * std::sqrt(5.0 / 3) / 2));
  CHECK(summarize({7}).ci95 == 0);
  const QualitySummary q = summarize_quality({0.01, 0.02, 0.03});
  CHECK(q.psnr == doctest::Approx(psnr_from_mse(0.02)));
  CHECK(q.psnr_lo < q.psnr);
  CHECK(q.psnr < q.psnr_hi);
  CHECK(q.digit_psnr > q.psnr);  // the mean of logarithms is above the logarithm of the mean
  const auto per = per_sample_mse(std::vector<float>{0, 1, 2, -1}.data(), std::vector<float>{0, 0, 1, 1}.data(), 2, 2);
  CHECK(per[0] == doctest::Approx(0.5));
  CHECK(per[1] == doctest::Approx(0.5));  // clipped to [0, 1] first
}

TEST_CASE("diverged states are found: NaN, Inf and huge values, not ordinary ones") {
  std::vector<float> s(4 * 10, 0.5f);
  s[10 + 3] = std::numeric_limits<float>::quiet_NaN();
  s[20 + 9] = -std::numeric_limits<float>::infinity();
  s[30 + 0] = 2e4f;
  s[0] = -50.0f;
  const auto d = diverged_samples(s.data(), 4, 10);
  CHECK(d == std::vector<uint8_t>{0, 1, 1, 1});
  CHECK(max_abs_finite(s.data(), s.size()) == 2e4f);
  // The image metrics stay finite and bounded on such a state.
  const std::vector<float> target(10, 1.0f);
  const double m = clipped_mse(s.data() + 10, target.data(), 10);
  CHECK(std::isfinite(m));
  CHECK(m <= 1.0);
}

TEST_CASE("the repair centre is the ink pixel nearest the centre of mass") {
  const int h = 11, w = 11;
  std::vector<float> img(size_t(h) * w, 0.0f);
  CHECK(repair_centre(img.data(), h, w).x == 5);  // no ink: the grid centre
  // A ring around (5, 5): the centre of mass is empty, the nearest ink pixel is on the ring,
  // the first in raster order among the nearest.
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const int d2 = (x - 5) * (x - 5) + (y - 5) * (y - 5);
      if (d2 >= 6 && d2 <= 10) img[size_t(y) * w + x] = 1.0f;
    }
  const CellPos c = repair_centre(img.data(), h, w);
  CHECK(img[size_t(c.y) * w + c.x] >= 0.5f);
  CHECK((c.x - 5) * (c.x - 5) + (c.y - 5) * (c.y - 5) == 8);
  CHECK(c.y == 3);
  CHECK(c.x == 3);
  // A blob: its own centre.
  std::fill(img.begin(), img.end(), 0.0f);
  for (int y = 6; y <= 8; ++y)
    for (int x = 1; x <= 3; ++x) img[size_t(y) * w + x] = 0.9f;
  const CellPos b = repair_centre(img.data(), h, w);
  CHECK(b.x == 2);
  CHECK(b.y == 7);
}

TEST_CASE("the erase disc of radius 3 covers 29 cells inside the grid, fewer at a border") {
  const BrushStroke s = erase_disc(0, {14, 14}, 3.0f);
  CHECK(s.mode == BrushMode::kErase);
  CHECK(covered_pixels(s, 28, 28).size() == 29);
  const auto corner = covered_pixels(erase_disc(0, {0, 0}, 3.0f), 28, 28);
  CHECK(corner.size() == 11);  // the quarter disc with its axis cells
  std::vector<float> img(28 * 28, 1.0f), target(28 * 28, 1.0f);
  for (int p : covered_pixels(s, 28, 28)) img[p] = 0.0f;
  CHECK(region_mse(img.data(), target.data(), covered_pixels(s, 28, 28)) == 1.0);
}

TEST_CASE("bootstrap interval of a mean: brackets it, deterministic, narrower with more items") {
  std::vector<double> v(400);
  for (size_t i = 0; i < v.size(); ++i) v[i] = pattern(i);
  const auto mean_of = [&](int n) {
    return [&v, n](const std::vector<int>& idx) {
      double s = 0;
      for (int i : idx) s += v[size_t(i)];
      return s / n;
    };
  };
  double full = 0;
  for (double x : v) full += x;
  full /= double(v.size());
  const Interval a = bootstrap_ci95(400, mean_of(400), 500, 3);
  const Interval b = bootstrap_ci95(400, mean_of(400), 500, 3);
  const Interval small = bootstrap_ci95(40, mean_of(40), 500, 3);
  CHECK(a.lo < full);
  CHECK(full < a.hi);
  CHECK(a.lo == b.lo);
  CHECK(a.hi == b.hi);
  CHECK(small.hi - small.lo > a.hi - a.lo);
}

TEST_CASE("a model that blows up: the state is flagged, erasing still works, metrics stay finite") {
  ModelConfig c = model_preset("lite");
  c.height = 10;
  c.width = 10;
  CpuBackend be(c);
  std::vector<float> p = init_params(be.layout(), 3);
  const TensorSpec& w3 = be.layout().layer_kernel(c.num_layers() - 1);
  for (size_t i = 0; i < w3.count; ++i) p[w3.offset + i] = 1.0f;  // every update pushes up
  be.set_params(p);
  be.set_live_dropout(0.0f);
  std::vector<float> clean(size_t(2) * c.cells());
  for (size_t i = 0; i < clean.size(); ++i) clean[i] = 0.5f + 0.5f * pattern(i);
  be.reset(clean, 2, 0.5f, 1, 0);
  be.step(200);
  const std::vector<float> s = be.state();
  const auto d = diverged_samples(s.data(), 2, size_t(c.cells()) * c.channels);
  CHECK(d == std::vector<uint8_t>{1, 1});
  const std::vector<float> img = be.image();
  for (double m : per_sample_mse(img.data(), clean.data(), 2, c.cells())) {
    CHECK(std::isfinite(m));
    CHECK(m <= 1.0);
  }
  be.brush(erase_disc(1, {5, 5}, 3.0f));
  const std::vector<float> after = be.state();
  for (int px : covered_pixels(erase_disc(1, {5, 5}, 3.0f), c.height, c.width))
    for (int ch = 0; ch < c.channels; ++ch)
      REQUIRE(after[(size_t(c.cells()) + px) * c.channels + ch] == 0.0f);
  be.step(10);  // stepping a blown-up state must not throw
  CHECK(be.live_step() == 210);
}
