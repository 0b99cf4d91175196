// Forward passes against naive loops written straight from the spec, and hand cases.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/cell_math.h"
#include "core/gemm.h"
#include "core/reference/model.h"
#include "core/init.h"
#include "core/ops.h"

#include "random_inputs.h"

using namespace rrcnn;

namespace {

std::vector<float> random_vec(size_t n, unsigned seed, float scale = 1.0f) {
  return rrcnn_test::random_normal<float>(n, seed, scale);
}

// p[y,x,o] = sum_{dy,dx} sum_c K[dy+1, dx+1, c, o] * s[y+dy, x+dx, c], zero outside.
std::vector<double> naive_perceive(const GridShape& g, int p_n, const std::vector<float>& s,
                                   const std::vector<float>& k) {
  std::vector<double> out(g.cells() * p_n, 0.0);
  for (int b = 0; b < g.batch; ++b)
    for (int y = 0; y < g.height; ++y)
      for (int x = 0; x < g.width; ++x)
        for (int o = 0; o < p_n; ++o) {
          double acc = 0;
          for (int dy = -1; dy <= 1; ++dy)
            for (int dx = -1; dx <= 1; ++dx) {
              const int sy = y + dy, sx = x + dx;
              if (sy < 0 || sy >= g.height || sx < 0 || sx >= g.width) continue;
              for (int c = 0; c < g.channels; ++c)
                acc += double(k[((size_t(dy + 1) * 3 + (dx + 1)) * g.channels + c) * p_n + o]) *
                       s[((size_t(b) * g.height + sy) * g.width + sx) * g.channels + c];
            }
          out[((size_t(b) * g.height + y) * g.width + x) * p_n + o] = acc;
        }
  return out;
}

}  // namespace

TEST_CASE("perception equals the spec's formula, with zero padding and no wrap-around") {
  const GridShape g{2, 5, 7, 4};
  const int p_n = 6;
  const auto s = random_vec(g.cells() * g.channels, 1);
  const auto k = random_vec(9 * g.channels * p_n, 2);
  std::vector<float> out(g.cells() * p_n), scratch;
  perceive_forward<float>(g, p_n, s.data(), k.data(), out.data(), scratch);
  const auto ref = naive_perceive(g, p_n, s, k);
  for (size_t i = 0; i < out.size(); ++i) REQUIRE(out[i] == doctest::Approx(ref[i]).epsilon(1e-5));
}

TEST_CASE("perception of a single lit cell reads the kernel flipped, and borders read zeros") {
  const GridShape g{1, 3, 3, 1};
  std::vector<float> s(9, 0.0f), k(9), out(9), scratch;
  for (int i = 0; i < 9; ++i) k[i] = float(i + 1);  // K[ky, kx, 0, 0]
  s[0] = 1.0f;                                      // cell (0, 0): a corner
  perceive_forward<float>(g, 1, s.data(), k.data(), out.data(), scratch);
  // Cell (y, x) sees (0, 0) at offset (-y, -x), i.e. kernel tap (1 - y, 1 - x).
  CHECK(out[0] == 5.0f);  // (0,0): centre tap
  CHECK(out[1] == 4.0f);  // (0,1): tap (1,0)
  CHECK(out[3] == 2.0f);  // (1,0): tap (0,1)
  CHECK(out[4] == 1.0f);  // (1,1): tap (0,0)
  CHECK(out[2] == 0.0f);  // (0,2): out of reach, no wrap-around
  CHECK(out[8] == 0.0f);
}

TEST_CASE("BLAS and portable GEMM agree for every transpose combination") {
  const int m = 37, n = 29, kk = 41;
  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb) {
      const auto a = random_vec(size_t(m) * kk, 3), b = random_vec(size_t(kk) * n, 4);
      auto c1 = random_vec(size_t(m) * n, 5), c2 = c1;
      const int lda = ta ? m : kk, ldb = tb ? kk : n;
      gemm<float>(ta, tb, m, n, kk, 0.5f, a.data(), lda, b.data(), ldb, 2.0f, c1.data(), n);
      gemm_portable<float>(ta, tb, m, n, kk, 0.5f, a.data(), lda, b.data(), ldb, 2.0f, c2.data(), n);
      // Naive reference for one element per row to catch a shared indexing error.
      for (int i = 0; i < m; ++i) {
        REQUIRE(c1[i * n + 3] == doctest::Approx(c2[i * n + 3]).epsilon(1e-4));
        for (int j = 0; j < n; ++j) REQUIRE(c1[i * n + j] == doctest::Approx(c2[i * n + j]).epsilon(1e-4));
      }
    }
}

TEST_CASE("dense layer is x W + b with optional relu") {
  const int n = 3, in = 2, out = 2;
  const std::vector<float> x = {1, 2, -1, 0, 0.5f, -3};
  const std::vector<float> w = {1, -1, 2, 1};  // (in, out)
  const std::vector<float> b = {0.5f, -4};
  std::vector<float> y(n * out);
  dense_forward<float>(n, in, out, x.data(), w.data(), b.data(), false, y.data());
  CHECK(y == std::vector<float>{5.5f, -3.0f, -0.5f, -3.0f, -5.0f, -7.5f});
  dense_forward<float>(n, in, out, x.data(), w.data(), b.data(), true, y.data());
  CHECK(y == std::vector<float>{5.5f, 0, 0, 0, 0, 0});
}

TEST_CASE("inverted cell dropout scales kept updates by 1/keep and zeroes dropped cells") {
  const GridShape g{1, 1, 2, 2};
  const std::vector<float> s = {1, 2, 3, 4}, u = {0.5f, 1, 2, 3};
  const std::vector<uint8_t> keep = {1, 0};
  std::vector<float> next(4);
  dropout_residual_forward<float>(g, s.data(), u.data(), keep.data(), 0.5f, 1.0f, next.data());
  CHECK(next == std::vector<float>{2, 4, 3, 4});
  dropout_residual_forward<float>(g, s.data(), u.data(), nullptr, 0.5f, 1.0f, next.data());
  CHECK(next == std::vector<float>{1.5f, 3, 5, 7});
}

TEST_CASE("rendering clips to [0,1], scales by 255 and truncates") {
  CHECK(render_pixel(-0.2f) == 0);
  CHECK(render_pixel(0.0f) == 0);
  CHECK(render_pixel(0.999f) == 254);  // 254.745 truncates, does not round
  CHECK(render_pixel(1.0f) == 255);
  CHECK(render_pixel(7.0f) == 255);
  CHECK(render_pixel(std::nanf("")) == 0);
  CHECK(render_pixel(0.5f) == 127);
}

TEST_CASE("an untrained model (zero last layer) leaves the state unchanged") {
  ModelConfig c = model_preset("lite");
  c.height = 6;
  c.width = 5;
  Model<float> m(c);
  const auto params = init_params(m.layout(), 3);
  const auto s = random_vec(size_t(2) * c.cells() * c.channels, 9);
  std::vector<float> next(s.size());
  std::vector<uint8_t> keep(2 * c.cells(), 1);
  m.step(params.data(), 2, s.data(), keep.data(), 0.5f, next.data());
  CHECK(next == s);
  for (float v : m.last_perception()) REQUIRE(std::isfinite(v));
}

// The kept-cell fast path (MLP on kept rows only) against the clear path it replaces: the MLP on
// every cell followed by dropout_residual_forward/backward with the same mask.
TEST_CASE("kept-cell rows: step and residual pair equal the full-grid dropout path") {
  ModelConfig c = model_preset("lite");
  c.height = 5;
  c.width = 7;
  const int batch = 2;
  const GridShape g{batch, c.height, c.width, c.channels};
  const size_t n = g.cells();
  Model<double> m(c);
  std::vector<double> params;
  for (float v : init_params(m.layout(), 4)) params.push_back(v);
  const TensorSpec& w3 = m.layout().layer_kernel(c.num_layers() - 1);
  const auto w3v = random_vec(w3.count, 5, 0.1f);
  for (size_t i = 0; i < w3.count; ++i) params[w3.offset + i] = w3v[i];
  std::vector<double> s;
  for (float v : random_vec(n * c.channels, 6)) s.push_back(v);
  std::vector<uint8_t> keep(n);
  std::mt19937 rng(7);
  for (auto& k : keep) k = uint8_t(rng() % 2);
  keep[0] = 0;
  keep[n - 1] = 1;

  // Clear path: the MLP on all N cells (no mask), then the masked residual.
  std::vector<double> unused(s.size()), full_update, expected(s.size());
  m.step(params.data(), batch, s.data(), nullptr, 1.0, unused.data());
  full_update = m.last_update();
  dropout_residual_forward<double>(g, s.data(), full_update.data(), keep.data(), 0.5, 1.0,
                                   expected.data());
  std::vector<double> got(s.size());
  m.step(params.data(), batch, s.data(), keep.data(), 0.5, got.data());
  size_t kept = 0;
  for (uint8_t k : keep) kept += k;
  REQUIRE(m.last_update().size() == kept * c.channels);
  for (size_t i = 0; i < s.size(); ++i)
    REQUIRE(got[i] == doctest::Approx(expected[i]).epsilon(1e-12));

  // The backward pair: kept rows of the full-grid update gradient, nothing else.
  std::vector<uint32_t> rows(n);
  REQUIRE(kept_rows(n, keep.data(), rows.data()) == kept);
  std::vector<double> dnext(s.size()), dfull(s.size()), drows(kept * c.channels);
  for (size_t i = 0; i < dnext.size(); ++i) dnext[i] = 0.01 * double(i % 17) - 0.08;
  dropout_residual_backward<double>(g, dnext.data(), keep.data(), 0.5, 1.0, dfull.data());
  kept_residual_backward<double>(g, kept, rows.data(), dnext.data(), 0.5, 1.0, drows.data());
  std::vector<double> scattered(s.size());
  scatter_rows<double>(n, kept, c.channels, rows.data(), drows.data(), scattered.data());
  CHECK(scattered == dfull);
  std::vector<double> gathered(kept * c.channels);
  gather_rows<double>(kept, c.channels, rows.data(), dfull.data(), gathered.data());
  CHECK(gathered == drows);
}

TEST_CASE("a step with every cell dropped leaves the state unchanged") {
  ModelConfig c = model_preset("lite");
  c.height = 4;
  c.width = 3;
  Model<float> m(c);
  auto params = init_params(m.layout(), 2);
  const TensorSpec& b3 = m.layout().layer_bias(c.num_layers() - 1);
  for (size_t i = 0; i < b3.count; ++i) params[b3.offset + i] = 0.5f;  // would move every cell
  const auto s = random_vec(size_t(2) * c.cells() * c.channels, 3);
  std::vector<float> next(s.size());
  std::vector<uint8_t> none(2 * c.cells(), 0);
  m.step(params.data(), 2, s.data(), none.data(), 0.5f, next.data());
  CHECK(next == s);
  CHECK(m.last_update().empty());
}
