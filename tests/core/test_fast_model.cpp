// The CPU fast path (FastModel, cpu_kernels) against the clear reference (Model<float>, ops.h),
// for every kernel instance this processor runs: the kernels one by one on random inputs, then
// whole rollouts and the loss with its gradient, with and without dropout, on odd grid sizes.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "core/cpu_kernels.h"
#include "core/fast_model.h"
#include "core/gemm.h"
#include "core/init.h"
#include "core/reference/model.h"
#include "core/noise.h"
#include "core/ops.h"

#include "random_inputs.h"

using namespace rrcnn;

namespace {

std::vector<float> random_vec(size_t n, unsigned seed, float scale = 1.0f) {
  return rrcnn_test::random_normal<float>(n, seed, scale);
}

// Largest |got - want| relative to the largest |want| (scale-relative error).
double rel_error(const std::vector<float>& got, const std::vector<float>& want) {
  REQUIRE(got.size() == want.size());
  double err = 0, scale = 1e-30;
  for (size_t i = 0; i < got.size(); ++i) {
    if (!std::isfinite(got[i])) return INFINITY;
    err = std::max(err, std::fabs(double(got[i]) - want[i]));
    scale = std::max(scale, std::fabs(double(want[i])));
  }
  return err / scale;
}

// Widths that every instance can run (multiples of 16) and an odd config only "generic" takes.
ModelConfig config_for(const CpuKernels& k) {
  ModelConfig c;
  c.height = 5;
  c.width = 7;
  if (k.lanes == 1) {
    c.channels = 4;
    c.perception = 6;
    c.hidden = {8, 5};
  } else {
    c.channels = 16;
    c.perception = 32;
    c.hidden = {48, 16};
  }
  c.rollout_steps = 5;
  return c;
}

// Random weights everywhere (a zero last layer would leave the state unchanged).
std::vector<float> random_params(const ParamLayout& layout, unsigned seed) {
  auto p = init_params(layout, seed);
  const auto noise = random_vec(p.size(), seed + 1, 0.15f);
  for (size_t i = layout.trained_offset(); i < p.size(); ++i) p[i] += noise[i];
  return p;
}

}  // namespace

TEST_CASE("CPU kernels: products and the scatter convolution equal the reference ops") {
  for (const CpuKernels* k : cpu_kernels_available()) {
    CAPTURE(std::string(k->isa));
    const int m = 13, kk = 3 * k->lanes + (k->lanes == 1 ? 2 : 0), n = 5 * k->lanes;
    const auto a = random_vec(size_t(m) * kk, 1), b = random_vec(size_t(kk) * n, 2);
    const auto bias = random_vec(n, 3), act = random_vec(size_t(m) * n, 4);
    std::vector<float> want(size_t(m) * n), got(want.size());
    gemm_portable<float>(false, false, m, n, kk, 1.0f, a.data(), kk, b.data(), n, 0.0f,
                         want.data(), n);
    k->gemm(m, n, kk, a.data(), kk, b.data(), n, got.data(), n, Epilogue::kStore, nullptr);
    CHECK(rel_error(got, want) < 1e-6);

    std::vector<float> want_e = want;
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < n; ++j) want_e[i * n + j] = std::max(0.0f, want[i * n + j] + bias[j]);
    k->gemm(m, n, kk, a.data(), kk, b.data(), n, got.data(), n, Epilogue::kBiasRelu, bias.data());
    CHECK(rel_error(got, want_e) < 1e-6);
    for (int i = 0; i < m * n; ++i) want_e[i] = act[i] > 0 ? want[i] : 0.0f;
    k->gemm(m, n, kk, a.data(), kk, b.data(), n, got.data(), n, Epilogue::kReluMask, act.data());
    CHECK(rel_error(got, want_e) < 1e-6);
    for (int i = 0; i < m * n; ++i) want_e[i] = act[i] + want[i];
    got = act;
    k->gemm(m, n, kk, a.data(), kk, b.data(), n, got.data(), n, Epilogue::kAccumulate, nullptr);
    CHECK(rel_error(got, want_e) < 1e-6);

    // C (kk, n) += A^T B with A (m, kk): the weight gradient shape.
    const auto d = random_vec(size_t(m) * n, 5);
    std::vector<float> wg = random_vec(size_t(kk) * n, 6), wg_ref = wg;
    gemm_portable<float>(true, false, kk, n, m, 1.0f, a.data(), kk, d.data(), n, 1.0f,
                         wg_ref.data(), n);
    k->gemm_at_acc(kk, n, m, a.data(), kk, d.data(), n, wg.data(), n);
    CHECK(rel_error(wg, wg_ref) < 1e-6);

    // The perception (dense: every cell a source) and its input gradient (sparse sources).
    const GridShape g{1, 6, 5, k->lanes == 1 ? 3 : k->lanes};
    const int p_n = 2 * k->lanes;
    const auto s = random_vec(g.cells() * g.channels, 7), kern = random_vec(9 * g.channels * p_n, 8);
    std::vector<float> p_ref(g.cells() * p_n), scratch;
    perceive_forward<float>(g, p_n, s.data(), kern.data(), p_ref.data(), scratch);
    std::vector<uint32_t> all(g.cells());
    for (size_t i = 0; i < all.size(); ++i) all[i] = uint32_t(i);
    ConvScatter cs{g.height, g.width, g.channels, p_n, int(g.cells()), all.data(), s.data(),
                   kern.data(), {}, nullptr};
    for (int t = 0; t < 9; ++t) cs.offset[t][0] = -(t / 3 - 1), cs.offset[t][1] = -(t % 3 - 1);
    std::vector<float> p(g.cells() * p_n, 0.0f);
    cs.out = p.data();
    k->conv_scatter(cs);
    CHECK(rel_error(p, p_ref) < 1e-6);

    std::vector<uint8_t> keep(g.cells());
    std::mt19937 rng(9);
    for (auto& f : keep) f = uint8_t(rng() % 2);
    std::vector<uint32_t> rows(g.cells());
    const size_t kept = kept_rows(g.cells(), keep.data(), rows.data());
    auto dp_rows = random_vec(kept * p_n, 10);
    std::vector<float> dp_full(g.cells() * p_n);
    scatter_rows<float>(g.cells(), kept, p_n, rows.data(), dp_rows.data(), dp_full.data());
    std::vector<float> ds_ref = random_vec(g.cells() * g.channels, 11), ds = ds_ref;
    perceive_backward<float>(g, p_n, dp_full.data(), kern.data(), ds_ref.data(), scratch);
    std::vector<float> kt(kern.size());  // K[t]^T per tap
    for (int t = 0; t < 9; ++t)
      for (int c = 0; c < g.channels; ++c)
        for (int o = 0; o < p_n; ++o)
          kt[(size_t(t) * p_n + o) * g.channels + c] = kern[(size_t(t) * g.channels + c) * p_n + o];
    ConvScatter bw{g.height, g.width, p_n, g.channels, int(kept), rows.data(), dp_rows.data(),
                   kt.data(), {}, ds.data()};
    for (int t = 0; t < 9; ++t) bw.offset[t][0] = t / 3 - 1, bw.offset[t][1] = t % 3 - 1;
    k->conv_scatter(bw);
    CHECK(rel_error(ds, ds_ref) < 1e-6);
  }
}

TEST_CASE("fast rollout equals Model<float> steps with the same dropout masks") {
  for (const CpuKernels* k : cpu_kernels_available()) {
    for (float rate : {0.0f, 0.5f}) {
      CAPTURE(std::string(k->isa));
      CAPTURE(rate);
      const ModelConfig c = config_for(*k);
      const int batch = 3, n = 9;
      FastModel fast(c, k);
      Model<float> ref(c);
      const auto params = random_params(ref.layout(), 21);
      auto s = random_vec(size_t(batch) * c.cells() * c.channels, 22, 0.5f);
      std::vector<float> want = s, next(s.size()), traj;
      std::vector<uint8_t> masks(size_t(batch) * c.cells());
      const uint32_t first = 40;
      for (int t = 0; t < n; ++t) {
        make_keep_masks(batch, c.cells(), first + t, 1, rate, 5, 6, masks.data());
        ref.step(params.data(), batch, want.data(), rate > 0 ? masks.data() : nullptr, 1.0f - rate,
                 next.data());
        want.swap(next);
      }
      // In two calls, so the cached perception is used across calls.
      traj.resize(size_t(n) * batch * c.cells());
      FastModel::LiveDropout d{rate, 5, 6, first};
      fast.rollout(params.data(), batch, s.data(), 4, d, traj.data());
      d.first_step += 4;
      fast.rollout(params.data(), batch, s.data(), n - 4, d, traj.data() + size_t(4) * batch * c.cells());
      CHECK(rel_error(s, want) < 2e-5);
      std::vector<float> last(traj.end() - batch * c.cells(), traj.end()), want_img;
      for (size_t i = 0; i < size_t(batch) * c.cells(); ++i) want_img.push_back(want[i * c.channels + c.channels - 1]);
      CHECK(rel_error(last, want_img) < 2e-5);
    }
  }
}

TEST_CASE("fast rollout refreshes its perception: long runs stay with the reference") {
  const CpuKernels& k = cpu_kernels_for({16, 32, 48});
  ModelConfig c = config_for(k);
  const int batch = 2, n = 3 * FastModel::kRefreshSteps + 5;
  FastModel fast(c, &k);
  Model<float> ref(c);
  auto params = random_params(ref.layout(), 31);
  // A contracting update (small last layer) keeps the trajectory from growing or diverging.
  const TensorSpec& w3 = ref.layout().layer_kernel(c.num_layers() - 1);
  for (size_t i = 0; i < w3.count; ++i) params[w3.offset + i] *= 0.05f;
  auto s = random_vec(size_t(batch) * c.cells() * c.channels, 32, 0.5f);
  std::vector<float> want = s, next(s.size());
  for (int t = 0; t < n; ++t) {
    ref.step(params.data(), batch, want.data(), nullptr, 1.0f, next.data());
    want.swap(next);
  }
  for (int done = 0; done < n; done += 7)
    fast.rollout(params.data(), batch, s.data(), std::min(7, n - done), {0.0f, 0, 0, 0}, nullptr);
  CHECK(rel_error(s, want) < 1e-4);
}

TEST_CASE("fast loss and gradient equal Model<float>'s, with and without masks") {
  for (const CpuKernels* k : cpu_kernels_available()) {
    for (bool dropout : {false, true}) {
      CAPTURE(std::string(k->isa));
      CAPTURE(dropout);
      const ModelConfig c = config_for(*k);
      const int batch = 3, steps = c.rollout_steps;
      FastModel fast(c, k);
      Model<float> ref(c);
      const auto params = random_params(ref.layout(), 41);
      const auto init = random_vec(size_t(batch) * c.cells() * c.channels, 42, 0.5f);
      const auto clean = random_vec(size_t(batch) * c.cells(), 43, 0.5f);
      std::vector<uint8_t> masks(size_t(steps) * batch * c.cells());
      make_keep_masks(batch, c.cells(), 0, steps, 0.5f, 7, 8, masks.data());
      const uint8_t* mk = dropout ? masks.data() : nullptr;
      std::vector<float> g_ref(ref.layout().total()), g(ref.layout().total(), 123.0f);
      std::vector<float> f_ref(init.size()), f(init.size());
      const float l_ref = ref.loss_and_grad(params.data(), batch, steps, init.data(), clean.data(),
                                            mk, 0.5f, g_ref.data(), f_ref.data());
      const float l = fast.loss_and_grad(params.data(), batch, steps, init.data(), clean.data(), mk,
                                         0.5f, g.data(), f.data());
      CHECK(l == doctest::Approx(l_ref).epsilon(1e-5));
      CHECK(rel_error(f, f_ref) < 1e-5);
      for (const TensorSpec& t : ref.layout().tensors()) {
        CAPTURE(t.name);
        const std::vector<float> a(g.begin() + t.offset, g.begin() + t.offset + t.count);
        const std::vector<float> b(g_ref.begin() + t.offset, g_ref.begin() + t.offset + t.count);
        if (!t.trained) {
          CHECK(a == std::vector<float>(t.count, 0.0f));
          continue;
        }
        CHECK(rel_error(a, b) < 1e-4);
      }
      // Deterministic: a second call gives the same bits.
      std::vector<float> g2(g.size());
      CHECK(fast.loss_and_grad(params.data(), batch, steps, init.data(), clean.data(), mk, 0.5f,
                               g2.data()) == l);
      CHECK(g2 == g);
    }
  }
}

// The opt-in bf16 kernels: inputs rounded to bf16 (8 significant bits), products accumulated in
// fp32. Their documented tolerance against fp32: 2^-8 relative per input, so about 1% of the
// result's scale for these sums of a few dozen terms; a training step's gradient within 5%.
TEST_CASE("bf16 kernels stay within their documented tolerance of fp32") {
  const CpuKernels* k = cpu_kernels_named("avx512_bf16");
  if (!k) {
    MESSAGE("this processor has no avx512_bf16: nothing to check");
    return;
  }
  const int m = 29, kk = 37, n = 48;
  const auto a = random_vec(size_t(m) * kk, 1), b = random_vec(size_t(kk) * n, 2);
  std::vector<float> want(size_t(m) * n), got(want.size());
  gemm_portable<float>(false, false, m, n, kk, 1.0f, a.data(), kk, b.data(), n, 0.0f, want.data(), n);
  k->gemm(m, n, kk, a.data(), kk, b.data(), n, got.data(), n, Epilogue::kStore, nullptr);
  const double e = rel_error(got, want);
  CHECK(e < 1e-2);
  CHECK(e > 1e-5);  // it really rounds: an fp32 path in disguise would not
  const auto d = random_vec(size_t(m) * n, 3);
  std::vector<float> wg(size_t(kk) * n, 0.0f), wg_ref = wg;
  gemm_portable<float>(true, false, kk, n, m, 1.0f, a.data(), kk, d.data(), n, 1.0f, wg_ref.data(), n);
  k->gemm_at_acc(kk, n, m, a.data(), kk, d.data(), n, wg.data(), n);
  CHECK(rel_error(wg, wg_ref) < 1e-2);

  ModelConfig c;
  c.height = 6;
  c.width = 7;
  c.channels = 16;
  c.perception = 32;
  c.hidden = {32, 16};
  c.rollout_steps = 6;
  FastModel fast(c, k);
  Model<float> ref(c);
  const auto params = random_params(ref.layout(), 51);
  const int batch = 2;
  const auto init = random_vec(size_t(batch) * c.cells() * c.channels, 52, 0.5f);
  const auto clean = random_vec(size_t(batch) * c.cells(), 53, 0.5f);
  std::vector<float> g_ref(ref.layout().total()), g(g_ref.size());
  const float l_ref = ref.loss_and_grad(params.data(), batch, c.rollout_steps, init.data(), clean.data(),
                                        nullptr, 1.0f, g_ref.data());
  const float l = fast.loss_and_grad(params.data(), batch, c.rollout_steps, init.data(), clean.data(),
                                     nullptr, 1.0f, g.data());
  CHECK(l == doctest::Approx(l_ref).epsilon(2e-2));
  const size_t off = ref.layout().trained_offset();
  CHECK(rel_error(std::vector<float>(g.begin() + off, g.end()),
                  std::vector<float>(g_ref.begin() + off, g_ref.end())) < 5e-2);
}

TEST_CASE("training tapes belong to their model: freed when it goes away, reused while it lives") {
  ModelConfig c;
  c.height = 5;
  c.width = 7;
  c.channels = 8;
  c.perception = 8;
  c.hidden = {8};
  c.rollout_steps = 3;
  const int before = FastModel::live_tapes();
  const int batch = 4;  // several parallel chunks where the pool has threads
  const auto init = random_vec(size_t(batch) * c.cells() * c.channels, 61, 0.5f);
  const auto clean = random_vec(size_t(batch) * c.cells(), 62, 0.5f);
  {
    FastModel fast(c);
    const auto params = random_params(ParamLayout(c), 60);
    std::vector<float> g(ParamLayout(c).total());
    fast.loss_and_grad(params.data(), batch, c.rollout_steps, init.data(), clean.data(), nullptr,
                       1.0f, g.data());
    const int held = FastModel::live_tapes() - before;
    CHECK(held >= 1);
    CHECK(held <= batch);
    fast.loss_and_grad(params.data(), batch, c.rollout_steps, init.data(), clean.data(), nullptr,
                       1.0f, g.data());
    CHECK(FastModel::live_tapes() - before <= batch);  // the second call reuses the first's
  }
  CHECK(FastModel::live_tapes() == before);  // thread_local tapes outlived every model
}
