// The host/device helpers that gpu/ shares with core/ (conv_index.h, brush.h, cell_math.h,
// size_limits.h) against the CPU functions they stand for: the same results, so a CUDA kernel
// built on them computes what the CPU twin computes.
#include <doctest/doctest.h>

#include <climits>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/brush.h"
#include "core/cell_math.h"
#include "core/conv_index.h"
#include "core/cpu_backend.h"
#include "core/noise.h"
#include "core/ops.h"
#include "core/optimizer.h"
#include "core/size_limits.h"

using namespace rrcnn;

namespace {

std::vector<double> random_d(size_t n, unsigned seed) {
  std::mt19937 g(seed);
  std::normal_distribution<double> d(0.0, 1.0);
  std::vector<double> v(n);
  for (auto& x : v) x = d(g);
  return v;
}

// out (N, out_ch) = conv through the shared index helpers: im2col_tap_cell for the source cell,
// `kernel_at(k, c, o)` for the weight.
template <typename KernelAt>
std::vector<double> conv_by_taps(const GridShape& g, int in_ch, int out_ch,
                                 const std::vector<double>& src, KernelAt kernel_at) {
  std::vector<double> out(g.cells() * out_ch, 0.0);
  for (size_t n = 0; n < g.cells(); ++n)
    for (int k = 0; k < 9; ++k) {
      const int64_t tap = im2col_tap_cell(n, k, g.height, g.width);
      if (tap < 0) continue;
      for (int c = 0; c < in_ch; ++c)
        for (int o = 0; o < out_ch; ++o)
          out[n * out_ch + o] += kernel_at(k, c, o) * src[size_t(tap) * in_ch + c];
    }
  return out;
}

double max_diff(const std::vector<double>& a, const std::vector<double>& b) {
  double m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

}  // namespace

TEST_CASE("conv_index.h: im2col taps and the kernel flip give perceive_forward/backward") {
  const GridShape g{2, 5, 7, 3};
  const int p_n = 4;
  const auto s = random_d(g.cells() * g.channels, 1);
  const auto k = random_d(size_t(9) * g.channels * p_n, 2);
  std::vector<double> ref(g.cells() * p_n), scratch;
  perceive_forward<double>(g, p_n, s.data(), k.data(), ref.data(), scratch);
  const auto got = conv_by_taps(g, g.channels, p_n, s, [&](int t, int c, int o) {
    return k[conv_kernel_index(t, c, o, g.channels, p_n)];
  });
  CHECK(max_diff(got, ref) < 1e-12);

  // The input gradient is the same tap walk over dperception with the flipped kernel.
  std::vector<double> flipped(k.size());
  for (int t = 0; t < 9; ++t)
    for (int c = 0; c < g.channels; ++c)
      for (int o = 0; o < p_n; ++o)
        flipped[flipped_kernel_index(t, c, o, g.channels, p_n)] =
            k[conv_kernel_index(t, c, o, g.channels, p_n)];
  const auto dp = random_d(g.cells() * p_n, 3);
  std::vector<double> ds_ref(g.cells() * g.channels, 0.0);
  perceive_backward<double>(g, p_n, dp.data(), k.data(), ds_ref.data(), scratch);
  GridShape gp = g;
  gp.channels = p_n;
  const auto ds = conv_by_taps(gp, p_n, g.channels, dp, [&](int t, int o, int c) {
    return flipped[(size_t(t) * p_n + o) * g.channels + c];  // Kt is (3, 3, P, C)
  });
  CHECK(max_diff(ds, ds_ref) < 1e-12);

  // Border taps read the zero padding: the corner cell has 4 of 9 taps inside.
  int inside = 0;
  for (int t = 0; t < 9; ++t) inside += im2col_tap_cell(0, t, g.height, g.width) >= 0;
  CHECK(inside == 4);
  CHECK(im2col_tap_cell(g.cells() - 1, 8, g.height, g.width) == -1);
  CHECK(im2col_tap_cell(g.cells() - 1, 4, g.height, g.width) == int64_t(g.cells() - 1));
}

TEST_CASE("brush.h: brush_apply_cell on covered cells is what CpuBackend::brush does") {
  ModelConfig c = model_preset("lite");
  CpuBackend be(c);
  const int batch = 3;
  std::vector<float> start(size_t(batch) * c.cells() * c.channels);
  std::mt19937 gen(5);
  std::uniform_real_distribution<float> u(-0.5f, 1.5f);
  for (float& v : start) v = u(gen);
  be.reset(std::vector<float>(size_t(batch) * c.cells(), 0.3f), batch, 0.1f, 99, 0);
  for (BrushMode mode : {BrushMode::kDraw, BrushMode::kErase, BrushMode::kNoise}) {
    for (int sample : {-1, 2}) {
      be.set_state(start, batch);
      BrushStroke s;
      s.sample = sample;
      s.x0 = 3.2f;
      s.y0 = 20.7f;
      s.x1 = 17.5f;
      s.y1 = 6.1f;
      s.radius = 2.3f;
      s.mode = mode;
      s.strength = 0.7f;
      s.serial = 11;
      be.brush(s);
      std::vector<float> want = start;
      const RngKey key = rng_key(99, RngStream::kBrush);
      for (int b = sample < 0 ? 0 : sample; b < (sample < 0 ? batch : sample + 1); ++b)
        for (int y = 0; y < c.height; ++y)
          for (int x = 0; x < c.width; ++x)
            if (brush_covers(s, x, y))
              brush_apply_cell(s, key, b, x, y, c.width, c.channels,
                               want.data() + ((size_t(b) * c.height + y) * c.width + x) * c.channels);
      const std::vector<float> got = be.state();
      INFO("mode " << brush_mode_name(mode) << ", sample " << sample);
      CHECK(got != start);
      CHECK(std::memcmp(got.data(), want.data(), got.size() * sizeof(float)) == 0);
    }
  }
}

TEST_CASE("cell_math.h: sample_alpha, split_mask_index and the clip formula match core's loops") {
  const std::vector<float> alphas = batch_alphas(5, -1.0f, 7, 3);
  for (uint32_t b = 0; b < 5; ++b) CHECK(sample_alpha(-1.0f, 7, 3, b) == alphas[b]);
  CHECK(sample_alpha(0.25f, 7, 3, 1) == 0.25f);
  CHECK(sample_alpha(1.5f, 7, 3, 1) == alphas[1]);  // out of [0, 1]: drawn

  const int batch = 3, cells = 10, steps = 4;
  const uint32_t first = 6;
  std::vector<uint8_t> keep(size_t(steps) * batch * cells);
  make_keep_masks(batch, cells, first, steps, 0.5f, 21, 2, keep.data());
  int kept = 0;
  for (size_t i = 0; i < keep.size(); ++i) {
    const MaskIndex m = split_mask_index(i, batch, cells);
    CHECK(size_t(m.step) * batch * cells + size_t(m.sample) * cells + m.cell == i);
    CHECK(keep[i] == draw_keep(21, 2, first + m.step, m.sample, m.cell, 0.5f));
    kept += keep[i];
  }
  CHECK(kept > 0);
  CHECK(kept < int(keep.size()));

  std::vector<float> g = {3.0f, -4.0f, 12.0f};  // norm 13
  std::vector<float> want = g;
  const double norm = clip_by_global_norm(g.data(), g.size(), 1.0f);
  CHECK(norm == doctest::Approx(13.0));
  CHECK(clip_active(norm, 1.0f));
  CHECK_FALSE(clip_active(0.5, 1.0f));
  CHECK(clip_active(NAN, 1.0f));  // optax scales on NaN too
  for (size_t i = 0; i < g.size(); ++i) CHECK(g[i] == clip_element(want[i], float(norm), 1.0f));
}

TEST_CASE("size limits: batches past 32-bit matrix products are refused before any work") {
  const ModelConfig c = model_preset("seed");
  const size_t max_cells = max_product_cells(c);
  CHECK(max_cells * size_t(widest_product_row(c)) <= size_t(INT_MAX));
  const long long max_batch = (long long)(max_cells / size_t(c.cells()));
  CHECK(max_batch > 1000);  // far beyond anything memory allows today
  CHECK_NOTHROW(check_product_batch(c, max_batch, "test"));
  CHECK_THROWS_WITH_AS(check_product_batch(c, max_batch + 1, "test"),
                       doctest::Contains("too large"), Error);
  CHECK_THROWS_AS(blas_int(size_t(INT_MAX) + 1, "m"), Error);
  CHECK(blas_int(size_t(INT_MAX), "m") == INT_MAX);
  // The backend checks the batch before it looks at (or allocates for) the pixels.
  CpuBackend be(c);
  const int huge = int(max_batch + 1);
  CHECK_THROWS_WITH_AS(be.reset({}, huge, -1.0f, 0, 0), doctest::Contains("too large"), Error);
  CHECK_THROWS_WITH_AS(be.set_state({}, huge), doctest::Contains("too large"), Error);
  CHECK_THROWS_WITH_AS(be.train_step({}, huge, 0, 0), doctest::Contains("too large"), Error);
  std::vector<float> grad;
  CHECK_THROWS_WITH_AS(be.loss_and_grad({}, {}, huge, 1, {}, grad),
                       doctest::Contains("too large"), Error);
}
