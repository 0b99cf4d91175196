// End-to-end training on the CPU backend: the checks that need no random numbers, then a short
// `lite` run whose loss must fall clearly.
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "core/cpu_backend.h"
#include "core/dataset.h"
#include "core/error.h"
#include "core/init.h"
#include "core/noise.h"
#include "core/ops.h"

using namespace rrcnn;

TEST_CASE("first training step: loss is the noisy-vs-clean MSE, only W3[:,C-1] and b3[C-1] move") {
  ModelConfig c = model_preset("lite");
  c.height = 9;
  c.width = 11;
  c.rollout_steps = 4;
  CpuBackend be(c);
  be.set_params(init_params(be.layout(), 1));
  const int batch = 3;
  std::vector<float> clean(size_t(batch) * c.cells());
  for (size_t i = 0; i < clean.size(); ++i) clean[i] = float((i * 37) % 11) / 10.0f;
  const auto before = be.params();
  const TrainStepResult r = be.train_step(clean, batch, 5, 0);

  std::vector<float> noisy(clean.size());
  make_noisy_batch(clean.data(), batch, c.cells(), -1.0f, 5, 0, noisy.data());
  double mse = 0;
  for (size_t i = 0; i < clean.size(); ++i) mse += double(noisy[i] - clean[i]) * (noisy[i] - clean[i]);
  CHECK(r.loss == doctest::Approx(mse / clean.size()).epsilon(1e-6));
  CHECK(r.lr == doctest::Approx(1e-3));
  CHECK(r.step == 1);

  const auto after = be.params();
  const ParamLayout& layout = be.layout();
  const TensorSpec& w3 = layout.layer_kernel(c.num_layers() - 1);
  const TensorSpec& b3 = layout.layer_bias(c.num_layers() - 1);
  int moved = 0;
  for (size_t i = 0; i < after.size(); ++i) {
    if (after[i] == before[i]) continue;
    ++moved;
    const bool in_w3_last_col = i >= w3.offset && i < w3.offset + w3.count &&
                                (i - w3.offset) % c.channels == size_t(c.channels - 1);
    const bool is_b3_last = i == b3.offset + c.channels - 1;
    INFO("parameter " << i << " moved");
    REQUIRE((in_w3_last_col || is_b3_last));
    CHECK(std::fabs(after[i] - before[i]) == doctest::Approx(1e-3).epsilon(0.01));
  }
  CHECK(moved > 0);
  CHECK(moved <= c.hidden.back() + 1);
}

TEST_CASE("training the lite preset for 200 steps clearly lowers the loss") {
  const DataSplit data = load_data_dir(std::string(RRCNN_TEST_DIR) + "/../assets");
  const ModelConfig c = model_preset("lite");
  CpuBackend be(c);
  be.set_params(init_params(be.layout(), 0));
  // Held-out yardstick: 32 digits at noise 0.5, fixed noise, no dropout, one training horizon.
  std::vector<int> held(32);
  for (int i = 0; i < 32; ++i) held[i] = i;
  const std::vector<float> clean = gather_batch(data.test, held);
  auto held_out_mse = [&] {
    be.set_live_dropout(0.0f);
    be.reset(clean, 32, 0.5f, 99, 0);
    be.step(c.rollout_steps);
    const std::vector<float> out = be.image();
    double s = 0;
    for (size_t i = 0; i < out.size(); ++i) s += double(out[i] - clean[i]) * (out[i] - clean[i]);
    return s / out.size();
  };
  const double before = held_out_mse();
  std::vector<float> losses;
  for (uint32_t step = 0; step < 200; ++step) {
    const auto idx = sample_indices(data.train.count(), 8, 0, step);
    const auto r = be.train_step(gather_batch(data.train, idx), 8, 0, step);
    REQUIRE(std::isfinite(r.loss));
    losses.push_back(r.loss);
  }
  const double after = held_out_mse();
  const double first = std::accumulate(losses.begin(), losses.begin() + 50, 0.0) / 50;
  const double last = std::accumulate(losses.end() - 50, losses.end(), 0.0) / 50;
  MESSAGE("lite training loss: mean of steps 0-49 " << first << ", of steps 150-199 " << last
          << "; held-out MSE at alpha 0.5: " << before << " -> " << after);
  CHECK(last < 0.85 * first);
  CHECK(after < 0.6 * before);
}

TEST_CASE("live stepping: reproducible from the seed, and brush edits hit the right cells") {
  ModelConfig c = model_preset("lite");
  c.height = 8;
  c.width = 10;
  CpuBackend a(c), b(c);
  auto p = init_params(a.layout(), 2);
  // A non-zero last layer so steps change the state.
  const TensorSpec& w3 = a.layout().layer_kernel(c.num_layers() - 1);
  for (size_t i = 0; i < w3.count; ++i) p[w3.offset + i] = 0.01f * float(int(i % 7) - 3);
  a.set_params(p);
  b.set_params(p);
  std::vector<float> clean(size_t(2) * c.cells(), 0.3f);
  a.reset(clean, 2, 0.5f, 9, 1);
  b.reset(clean, 2, 0.5f, 9, 1);
  a.step(5);
  b.step(2);
  b.step(3);  // stepping in pieces draws the same masks
  CHECK(a.state() == b.state());
  CHECK(a.live_step() == 5);

  BrushStroke s;
  s.sample = 1;
  s.x0 = s.x1 = 4.5f;
  s.y0 = s.y1 = 3.5f;
  s.radius = 1.0f;
  s.mode = BrushMode::kErase;
  a.brush(s);
  const auto st = a.state();
  const size_t cell = (size_t(1) * c.height + 3) * c.width + 4;
  for (int ch = 0; ch < c.channels; ++ch) CHECK(st[cell * c.channels + ch] == 0.0f);
  // The first sample is untouched.
  CHECK(std::equal(st.begin(), st.begin() + c.cells() * c.channels, b.state().begin()));
  s.sample = 5;
  CHECK_THROWS_WITH_AS(a.brush(s), doctest::Contains("outside the batch"), Error);
}
