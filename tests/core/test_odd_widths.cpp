// Widths that are not multiples of the vector width run on the vector kernels (masked tail
// vectors) and agree with the reference: the kernels one by one on widths 1..40 with every
// epilogue (and nothing written past a row), then the fast path against Model<float> on the
// odd configs of issue 18 (C=5, P=7, hidden 13,17; C=24, P=20, hidden 40,24): rollout, loss
// and gradients, and a few training steps of the CPU backend against a reference loop, each
// with the perception kernel frozen (the reference) and trained (--train-perception).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/cpu_backend.h"
#include "core/cpu_kernels.h"
#include "core/error.h"
#include "core/fast_model.h"
#include "core/gemm.h"
#include "core/init.h"
#include "core/reference/model.h"
#include "core/noise.h"
#include "core/optimizer.h"

#include "odd_configs.h"
#include "random_inputs.h"

using namespace rrcnn;

namespace {

std::vector<float> rnd(size_t n, unsigned seed, float scale = 1.0f) {
  return rrcnn_test::random_normal<float>(n, seed, scale);
}

double rel_error(const float* got, const float* want, size_t n) {
  double err = 0, scale = 1e-30;
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(got[i])) return INFINITY;
    err = std::max(err, std::fabs(double(got[i]) - want[i]));
    scale = std::max(scale, std::fabs(double(want[i])));
  }
  return err / scale;
}
double rel_error(const std::vector<float>& got, const std::vector<float>& want) {
  REQUIRE(got.size() == want.size());
  return rel_error(got.data(), want.data(), got.size());
}

std::vector<float> random_params(const ParamLayout& layout, unsigned seed) {
  auto p = init_params(layout, seed);
  const auto noise = rnd(p.size(), seed + 1, 0.15f);
  for (size_t i = layout.perceive_kernel().count; i < p.size(); ++i) p[i] += noise[i];
  return p;
}

}  // namespace

TEST_CASE("CPU kernels: every width from 1 to 40, every epilogue, nothing written past a row") {
  constexpr float kSentinel = 12345.0f;
  for (const CpuKernels* k : cpu_kernels_available()) {
    CAPTURE(std::string(k->isa));
    for (int n = 1; n <= 40; ++n) {
      CAPTURE(n);
      const int m = 11, kk = n % 7 + 3, ldc = n + 5;  // padded rows: the padding must survive
      const auto a = rnd(size_t(m) * kk, 1), b = rnd(size_t(kk) * n, 2);
      const auto bias = rnd(n, 3), act = rnd(size_t(m) * ldc, 4);
      std::vector<float> want(size_t(m) * n);
      gemm_portable<float>(false, false, m, n, kk, 1.0f, a.data(), kk, b.data(), n, 0.0f, want.data(), n);
      for (Epilogue epi : {Epilogue::kStore, Epilogue::kBias, Epilogue::kBiasRelu, Epilogue::kReluMask,
                           Epilogue::kAccumulate}) {
        CAPTURE(int(epi));
        std::vector<float> got(size_t(m) * ldc, kSentinel), expect(got.size(), kSentinel);
        const float start = 0.5f;
        for (int i = 0; i < m; ++i)
          for (int j = 0; j < n; ++j) {
            const float ab = want[size_t(i) * n + j];
            float& e = expect[size_t(i) * ldc + j];
            switch (epi) {
              case Epilogue::kStore: e = ab; break;
              case Epilogue::kBias: e = ab + bias[j]; break;
              case Epilogue::kBiasRelu: e = std::max(0.0f, ab + bias[j]); break;
              case Epilogue::kReluMask: e = act[size_t(i) * ldc + j] > 0 ? ab : 0.0f; break;
              case Epilogue::kAccumulate: e = start + ab; break;
            }
            if (epi == Epilogue::kAccumulate) got[size_t(i) * ldc + j] = start;
          }
        const float* aux = epi == Epilogue::kReluMask ? act.data()
                           : (epi == Epilogue::kBias || epi == Epilogue::kBiasRelu) ? bias.data()
                                                                                     : nullptr;
        k->gemm(m, n, kk, a.data(), kk, b.data(), n, got.data(), ldc, epi, aux);
        CHECK(rel_error(got, expect) < 1e-6);  // the sentinels in the padding compare exactly
      }
      // The weight gradient's shape: C (kk, n) += A(m, kk)^T D(m, n), C rows padded.
      const auto d = rnd(size_t(m) * n, 5);
      std::vector<float> wg(size_t(kk) * ldc, kSentinel), wg_ref(size_t(kk) * n, 0.0f);
      for (int i = 0; i < kk; ++i)
        for (int j = 0; j < n; ++j) wg[size_t(i) * ldc + j] = 0.0f;
      gemm_portable<float>(true, false, kk, n, m, 1.0f, a.data(), kk, d.data(), n, 1.0f, wg_ref.data(), n);
      k->gemm_at_acc(kk, n, m, a.data(), kk, d.data(), n, wg.data(), ldc);
      for (int i = 0; i < kk; ++i) {
        CHECK(rel_error(wg.data() + size_t(i) * ldc, wg_ref.data() + size_t(i) * n, n) < 1e-6);
        for (int j = n; j < ldc; ++j) CHECK(wg[size_t(i) * ldc + j] == kSentinel);
      }
      // The perception at output width n, dense: against perceive_forward.
      const GridShape g{1, 4, 5, 3 + n % 5};
      const auto s = rnd(g.cells() * g.channels, 7), kern = rnd(9 * g.channels * n, 8);
      std::vector<float> p_ref(g.cells() * n), scratch;
      perceive_forward<float>(g, n, s.data(), kern.data(), p_ref.data(), scratch);
      std::vector<uint32_t> all(g.cells());
      for (size_t i = 0; i < all.size(); ++i) all[i] = uint32_t(i);
      std::vector<float> p(g.cells() * n + 3, 0.0f);
      p[g.cells() * n] = p[g.cells() * n + 1] = p[g.cells() * n + 2] = kSentinel;
      ConvScatter cs{g.height, g.width, g.channels, n, int(g.cells()), all.data(), s.data(),
                     kern.data(), {}, p.data()};
      for (int t = 0; t < 9; ++t) cs.offset[t][0] = -(t / 3 - 1), cs.offset[t][1] = -(t % 3 - 1);
      k->conv_scatter(cs);
      CHECK(rel_error(p.data(), p_ref.data(), p_ref.size()) < 1e-6);
      CHECK(p[g.cells() * n + 2] == kSentinel);
    }
  }
}

TEST_CASE("CPU kernels refuse strides shorter than the rows they are given") {
  for (const CpuKernels* k : cpu_kernels_available()) {
    std::vector<float> a(64, 1.0f), b(64, 1.0f), c(64, 0.0f);
    CHECK_THROWS_AS(k->gemm(2, 24, 2, a.data(), 2, b.data(), 16, c.data(), 24, Epilogue::kStore, nullptr), Error);
    CHECK_THROWS_AS(k->gemm(2, 8, 2, a.data(), 2, b.data(), 8, c.data(), 4, Epilogue::kStore, nullptr), Error);
    CHECK_THROWS_AS(k->gemm(2, 8, 2, a.data(), 2, b.data(), 8, c.data(), 8, Epilogue::kBias, nullptr), Error);
    CHECK_THROWS_AS(k->gemm_at_acc(8, 8, 2, a.data(), 4, b.data(), 8, c.data(), 8), Error);
  }
}

TEST_CASE("odd widths run on the widest kernels, never the portable fallback") {
  const CpuKernels& widest = *cpu_kernels_available().front();
  CHECK(std::string(cpu_kernels_for({5, 7, 13, 17}).isa) == widest.isa);
  CHECK(std::string(cpu_kernels_for({24, 20, 40, 24}).isa) == widest.isa);
  CHECK(std::string(FastModel(test::odd18_a()).kernels().isa) == widest.isa);
}

TEST_CASE("fast path on odd widths: rollout, loss and gradients equal Model<float>'s") {
  for (const CpuKernels* k : cpu_kernels_available()) {
    for (const ModelConfig& c : {test::odd18_a(), test::odd18_b(), test::with_trained_perception(test::odd18_a()),
                                 test::with_trained_perception(test::odd18_b())}) {
      for (float rate : {0.0f, 0.5f}) {
        CAPTURE(c.train_perception);
        CAPTURE(std::string(k->isa));
        CAPTURE(c.channels);
        CAPTURE(rate);
        const int batch = 3, steps = c.rollout_steps;
        FastModel fast(c, k);
        Model<float> ref(c);
        const auto params = random_params(ref.layout(), 61);
        // Rollout with live dropout against the reference's steps with the same masks.
        auto s = rnd(size_t(batch) * c.cells() * c.channels, 62, 0.5f);
        std::vector<float> want = s, next(s.size());
        std::vector<uint8_t> masks(size_t(steps) * batch * c.cells());
        make_keep_masks(batch, c.cells(), 0, steps, rate, 5, 6, masks.data());
        for (int t = 0; t < steps; ++t) {
          ref.step(params.data(), batch, want.data(),
                   rate > 0 ? masks.data() + size_t(t) * batch * c.cells() : nullptr, 1.0f - rate, next.data());
          want.swap(next);
        }
        fast.rollout(params.data(), batch, s.data(), steps, {rate, 5, 6, 0}, nullptr);
        CHECK(rel_error(s, want) < 2e-5);

        const auto init = rnd(size_t(batch) * c.cells() * c.channels, 63, 0.5f);
        const auto clean = rnd(size_t(batch) * c.cells(), 64, 0.5f);
        const uint8_t* mk = rate > 0 ? masks.data() : nullptr;
        std::vector<float> g_ref(ref.layout().total()), g(g_ref.size(), 9.0f);
        const float l_ref = ref.loss_and_grad(params.data(), batch, steps, init.data(), clean.data(), mk,
                                              1.0f - rate, g_ref.data());
        const float l = fast.loss_and_grad(params.data(), batch, steps, init.data(), clean.data(), mk,
                                           1.0f - rate, g.data());
        CHECK(l == doctest::Approx(l_ref).epsilon(1e-5));
        for (const TensorSpec& t : ref.layout().tensors()) {
          CAPTURE(t.name);
          CHECK(rel_error(g.data() + t.offset, g_ref.data() + t.offset, t.count) < 1e-4);
        }
        // The kernel's gradient is there exactly when it is trained.
        const TensorSpec& k = ref.layout().perceive_kernel();
        double kernel_sum = 0;
        for (size_t i = 0; i < k.count; ++i) kernel_sum += std::fabs(g[k.offset + i]);
        CHECK((kernel_sum > 0) == c.train_perception);
      }
    }
  }
}

TEST_CASE("CPU backend on odd widths: training steps follow a reference loop built on Model<float>") {
  for (const CpuKernels* k : cpu_kernels_available()) {
    for (const ModelConfig& c0 : {test::with_trained_perception(test::odd18_a()), test::odd18_b()}) {
      ModelConfig c = c0;
      CAPTURE(c.train_perception);
      c.dropout_rate = 0.5f;
      CAPTURE(std::string(k->isa));
      CAPTURE(c.channels);
      const int batch = 2, steps = 4;
      CpuBackend be(c, k);
      Model<float> ref(c);
      auto params = random_params(ref.layout(), 71);
      be.set_params(params);
      TrainConfig tc;
      tc.lr_start = 3e-3f;
      be.set_train_config(tc);
      AdamState adam;
      const auto clean = rnd(size_t(batch) * c.cells(), 72, 0.3f);
      for (int step = 0; step < steps; ++step) {
        const TrainStepResult r = be.train_step(clean, batch, 9, uint32_t(step));
        // The reference: the same noise and masks, Model<float>, clip, Adam.
        std::vector<float> noisy(clean.size());
        make_noisy_batch(clean.data(), batch, c.cells(), -1.0f, 9, uint32_t(step), noisy.data());
        const std::vector<float> init = initial_state(c, noisy);
        std::vector<uint8_t> masks(size_t(c.rollout_steps) * batch * c.cells());
        make_keep_masks(batch, c.cells(), 0, c.rollout_steps, c.dropout_rate, 9, uint32_t(step), masks.data());
        std::vector<float> grad(ref.layout().total());
        const float loss = ref.loss_and_grad(params.data(), batch, c.rollout_steps, init.data(), clean.data(),
                                             masks.data(), 1.0f - c.dropout_rate, grad.data());
        CHECK(r.loss == doctest::Approx(loss).epsilon(1e-4));
        const size_t off = ref.layout().trained_offset();
        clip_by_global_norm(grad.data() + off, ref.layout().trained_count(), tc.clip_norm);
        adam_update(tc, params.data() + off, grad.data() + off, ref.layout().trained_count(), adam);
      }
      CHECK(rel_error(be.params(), params) < 1e-4);
      // A trained kernel moved; a frozen one did not.
      const TensorSpec& k = ref.layout().perceive_kernel();
      const std::vector<float> start = random_params(ref.layout(), 71), now = be.params();
      CHECK(std::equal(start.begin() + k.offset, start.begin() + k.offset + k.count,
                       now.begin() + k.offset) == !c.train_perception);
    }
  }
}
