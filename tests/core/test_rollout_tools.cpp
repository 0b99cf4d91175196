// The rollout tools behind the studio's timeline, fork, change map and dropout uncertainty
// (core/rollout_history.h, core/rollout_stats.h, core/mc_dropout.h): ring wrap-around and
// memory accounting, a fork that repeats the original bit for bit, and the dropout statistics
// against a direct computation from K separate rollouts.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/config.h"
#include "core/cpu_backend.h"
#include "core/dataset.h"
#include "core/error.h"
#include "core/init.h"
#include "core/mc_dropout.h"
#include "core/metrics.h"
#include "core/rollout_history.h"
#include "core/rollout_stats.h"
#include "random_inputs.h"

using namespace rrcnn;

namespace {

// A lite model whose last layer is not zero, so cells change and dropout masks matter.
std::vector<float> lively_params(const ParamLayout& layout) {
  std::vector<float> p = init_params(layout, 3);
  const std::vector<float> jitter = rrcnn_test::random_normal(p.size(), 11, 0.05f);
  for (size_t i = 0; i < p.size(); ++i) p[i] += jitter[i];
  return p;
}

std::vector<float> test_digits(int batch, int cells) {
  std::vector<float> clean(size_t(batch) * cells);
  for (size_t i = 0; i < clean.size(); ++i) clean[i] = float((i * 37) % 101) / 100.0f;
  return clean;
}

}  // namespace

TEST_CASE("rollout history keeps images of every step and the newest full states") {
  const HistoryShape shape{2, 3, 4};  // 2 digits, 3 cells, 4 channels: 24 floats a state
  CHECK(shape.state_bytes() == 24 * sizeof(float));
  CHECK(RolloutHistory::full_steps_for_budget(shape, 24 * 4 * 5 + 7) == 5);
  CHECK(RolloutHistory::bytes_for_full_steps(shape, 5) == 24 * 4 * 5);
  RolloutHistory h(shape, RolloutHistory::bytes_for_full_steps(shape, 3), 6 * 4 * 10);
  CHECK(h.full_capacity() == 3);
  CHECK(h.image_capacity() == 10);
  std::vector<float> s(24);
  for (int t = 0; t < 14; ++t) {
    for (size_t i = 0; i < s.size(); ++i) s[i] = float(t * 100 + int(i));
    h.push(t, s.data());
  }
  // Images: the newest 10 (4..13); states: the newest 3 (11..13).
  CHECK(h.first_step() == 4);
  CHECK(h.last_step() == 13);
  CHECK(h.first_full_step() == 11);
  CHECK_FALSE(h.has_image(3));
  CHECK(h.has_image(4));
  CHECK_FALSE(h.has_state(10));
  CHECK(h.has_state(11));
  CHECK(h.image(7)[0] == 703.0f);  // channel 3 of cell 0, digit 0
  CHECK(h.image(7)[5] == 723.0f);  // the last cell's image channel
  CHECK(h.state(12)[5] == 1205.0f);
  CHECK(h.bytes() == 10 * 6 * 4 + 3 * 24 * 4);
  CHECK_THROWS_AS(h.state(10), Error);
  CHECK_THROWS_AS(h.push(15, s.data()), Error);  // a gap would mislabel steps
  CHECK(h.clamp_step(0) == 4);
  CHECK(h.clamp_step(99) == 13);

  h.truncate_after(11);  // a fork at step 11
  CHECK(h.last_step() == 11);
  CHECK(h.has_state(11));
  CHECK_FALSE(h.has_state(12));
  h.push(12, s.data());
  CHECK(h.image(12)[0] == 1303.0f);

  h.set_full_budget(RolloutHistory::bytes_for_full_steps(shape, 1));
  CHECK(h.full_capacity() == 1);
  CHECK(h.first_full_step() == 12);
  h.truncate_after(2);  // before everything kept: empty
  CHECK(h.empty());
  RolloutHistory none(shape, 0, 1);
  none.push(5, s.data());
  CHECK_FALSE(none.has_state(5));
  CHECK(none.has_image(5));
}

TEST_CASE("a fork from a kept step shares the history up to it and repeats the original") {
  const ModelConfig c = model_preset("lite");
  CpuBackend be(c);
  be.set_params(lively_params(be.layout()));
  const int b = 3;
  be.reset(test_digits(b, c.cells()), b, 0.5f, 9, 4);
  const HistoryShape shape{b, c.cells(), c.channels};
  RolloutHistory h(shape, RolloutHistory::bytes_for_full_steps(shape, 64), 1 << 24);
  h.push(0, be.state().data());
  for (int t = 1; t <= 20; ++t) {
    be.step(1);
    h.push(t, be.state().data());
  }
  const std::vector<float> original_end = be.state();
  std::vector<std::vector<float>> before;
  for (int t = 0; t <= 7; ++t) before.push_back(h.state(t));
  // Fork at step 7: back to its state and step counter, the same 13 steps again.
  RolloutHistory branch = h;
  branch.truncate_after(7);
  be.set_state(branch.state(7), b);
  be.seek_live_step(7);
  for (int t = 8; t <= 20; ++t) {
    be.step(1);
    branch.push(t, be.state().data());
  }
  for (int t = 0; t <= 7; ++t) CHECK(branch.state(t) == before[size_t(t)]);  // bit for bit
  CHECK(h.state(20) == original_end);  // the original branch is untouched
  // The CPU backend updates perception incrementally within a rollout and recomputes it after
  // set_state, so an untouched fork matches the original to float rounding, not bit for bit;
  // with the masks of another step it would wander off by far more.
  auto max_diff = [](const std::vector<float>& a, const std::vector<float>& b2) {
    float m = 0;
    for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(a[i] - b2[i]));
    return m;
  };
  const float same_masks = max_diff(be.state(), original_end);
  CHECK(same_masks < 1e-3f);
  be.set_state(branch.state(7), b);
  be.seek_live_step(0);
  be.step(13);
  CHECK(max_diff(be.state(), original_end) > 100 * std::max(same_masks, 1e-6f));
}

TEST_CASE("change map sums |s_t - s_t-1| over channels per cell") {
  const std::vector<float> prev = {0, 1, 2, /**/ 5, 5, 5};
  const std::vector<float> cur = {1, 1, 0, /**/ 5, 5, NAN};
  std::vector<float> out(2);
  change_map(prev.data(), cur.data(), 1, 2, 3, out.data());
  CHECK(out[0] == 3.0f);
  CHECK(std::isinf(out[1]));
}

TEST_CASE("dropout statistics equal a direct computation from K separate rollouts") {
  const ModelConfig c = model_preset("lite");
  CpuBackend be(c);
  const std::vector<float> params = lively_params(be.layout());
  be.set_params(params);
  be.set_live_dropout(0.5f);
  const int b = 2, k = 4, steps = 6, px = c.cells();
  const std::vector<float> clean = test_digits(b, px);
  be.reset(clean, b, 0.4f, 5, 2);
  const std::vector<float> start = be.state();
  const McRollouts run = run_mc_rollouts(be, start, b, k, steps, clean.data());
  REQUIRE(run.finals.size() == size_t(k) * b * px);
  REQUIRE(run.step_mse.size() == size_t(steps) + 1);

  std::vector<std::vector<float>> finals(k);
  for (int r = 0; r < k; ++r)
    finals[r].assign(run.finals.begin() + size_t(r) * b * px, run.finals.begin() + size_t(r + 1) * b * px);
  // Copy 0 is exactly the single rollout the live view (and the plain eval) shows.
  CpuBackend single(c);
  single.set_params(params);
  single.set_live_dropout(0.5f);
  single.reset(clean, b, 0.4f, 5, 2);
  single.step(steps);
  CHECK(single.image() == finals[0]);
  CHECK(finals[0] != finals[1]);  // different masks, different rollouts
  for (int t = 0; t <= steps; ++t) {
    const std::vector<double> m = run.step_mse[size_t(t)];
    CHECK(m.size() == size_t(k) * b);
  }

  const McSummary s = summarize_mc(run.finals.data(), k, clean.data(), b, px);
  for (int i = 0; i < b * px; i += 97) {
    double m = 0, m2 = 0;
    for (int r = 0; r < k; ++r) {
      const double v = std::min(1.0, std::max(0.0, double(finals[r][i])));
      m += v / k;
      m2 += v * v / k;
    }
    CHECK(s.mean[i] == doctest::Approx(m).epsilon(1e-6));
    CHECK(s.std_dev[i] == doctest::Approx(std::sqrt(std::max(0.0, m2 - m * m))).epsilon(1e-4));
  }
  const std::vector<double> m0 = per_sample_mse(finals[0].data(), clean.data(), b, px);
  CHECK(s.single_mse == m0);
  const std::vector<double> mm = per_sample_mse(s.mean.data(), clean.data(), b, px);
  CHECK(s.mean_mse == mm);
  // Averaging rollouts cannot be worse than their mean MSE (Jensen, per pixel).
  for (int d = 0; d < b; ++d) CHECK(s.mean_mse[d] <= s.rollouts_mse[d] + 1e-12);
  CHECK(s.std_error_corr >= -1.0);
  CHECK(s.std_error_corr <= 1.0);

  std::vector<double> band_mean, band_sd;
  mc_step_band(run, &band_mean, &band_sd);
  REQUIRE(band_mean.size() == size_t(steps) + 1);
  CHECK(band_sd[0] == doctest::Approx(0.0));  // all copies start from the same state
  double direct = 0;
  for (int r = 0; r < k; ++r)
    for (int d = 0; d < b; ++d) direct += per_sample_mse(finals[r].data(), clean.data(), b, px)[d] / (k * b);
  CHECK(band_mean[steps] == doctest::Approx(direct).epsilon(1e-9));

  CHECK_THROWS_AS(run_mc_rollouts(be, start, b, kMaxMcRollouts + 1, 1, nullptr), Error);
}

TEST_CASE("pearson correlation") {
  CHECK(pearson({1, 2, 3}, {2, 4, 6}) == doctest::Approx(1.0));
  CHECK(pearson({1, 2, 3}, {3, 2, 1}) == doctest::Approx(-1.0));
  CHECK(pearson({1, 1, 1}, {3, 2, 1}) == 0.0);
}
