// Sample-pool training (persistence and repair): bit-identical resume through the pool file,
// what replacement and damage do to the pool, the horizon range, and that a failed step leaves
// the pool as it was.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/cpu_backend.h"
#include "core/error.h"
#include "core/init.h"
#include "core/pool_trainer.h"

#include "training_fixture.h"

using namespace rrcnn;
using rrcnn::test::toy_digits;

namespace {

ModelConfig small_config() {
  ModelConfig c = model_preset("lite");
  c.height = 8;
  c.width = 9;
  return c;
}

std::unique_ptr<CpuBackend> make_backend(const ModelConfig& c, int batch) {
  auto be = std::make_unique<CpuBackend>(c);
  be->set_params(init_params(be->layout(), 3));
  TrainConfig tc;
  tc.batch = batch;
  be->set_train_config(tc);
  return be;
}

std::string temp_path(const char* name) { return std::string("/tmp/rrcnn_test_") + name; }

// Six steps in one run against three, a save (the pool file, and the weights and Adam state a
// checkpoint keeps), a resume on a fresh backend and three more: the weights, the pool's
// states and its digits must equal the unbroken run's bit for bit.
void check_resume_bit_for_bit(const ModelConfig& c, const Dataset& data, const PoolConfig& pc, uint64_t seed,
                              const std::string& pool_file) {
  INFO("resume through " << pool_file);
  auto a = make_backend(c, 4);
  PoolTrainer ta(*a, data, pc, seed);
  for (uint32_t s = 0; s < 6; ++s) ta.train_step(s);

  auto b = make_backend(c, 4);
  const std::string path = temp_path(pool_file.c_str());
  std::vector<float> params_mid;
  AdamState adam_mid;
  {
    PoolTrainer tb(*b, data, pc, seed);
    for (uint32_t s = 0; s < 3; ++s) tb.train_step(s);
    tb.save(path);
    params_mid = b->params();
    adam_mid = b->adam_state();
  }
  auto r = make_backend(c, 4);
  r->set_params(params_mid);
  r->set_adam_state(adam_mid);
  PoolTrainer tr(*r, data, pc, seed);
  REQUIRE(tr.load(path));
  for (uint32_t s = 3; s < 6; ++s) tr.train_step(s);
  CHECK(r->params() == a->params());
  CHECK(tr.states() == ta.states());
  CHECK(tr.digits() == ta.digits());
  std::remove(path.c_str());
}

}  // namespace

TEST_CASE("pool training resumes bit for bit from its checkpoint state and pool file") {
  const ModelConfig c = small_config();
  const Dataset data = toy_digits(c, 10);
  PoolConfig pc;
  pc.pool_size = 12;
  pc.replace = 1;
  pc.horizon_min = 3;
  pc.horizon_max = 6;
  pc.damage = 1;
  pc.damage_radius = 2;

  check_resume_bit_for_bit(c, data, pc, 7, "pool_resume.pool");

  auto r = make_backend(c, 4);
  PoolTrainer tr(*r, data, pc, 7);
  const std::string path = temp_path("pool_resume.pool");

  // A missing pool file is reported, not an error: the pool then starts fresh.
  CHECK_FALSE(tr.load(temp_path("no_such.pool")));
  // A pool of another size is refused with the file named.
  PoolConfig other = pc;
  other.pool_size = 13;
  PoolTrainer wrong(*r, data, other, 7);
  wrong.save(path);
  CHECK_THROWS_WITH_AS(tr.load(path), doctest::Contains("pool of a different size"), Error);
  std::remove(path.c_str());
}

TEST_CASE("a fresh pool holds noisy training digits with zero hidden channels") {
  const ModelConfig c = small_config();
  const Dataset data = toy_digits(c, 5);
  PoolConfig pc;
  pc.pool_size = 6;
  auto be = make_backend(c, 4);
  PoolTrainer t(*be, data, pc, 1);
  const size_t ss = size_t(c.cells()) * c.channels;
  for (int s = 0; s < pc.pool_size; ++s) {
    REQUIRE(t.digits()[s] >= 0);
    REQUIRE(t.digits()[s] < data.count());
    for (int i = 0; i < c.cells(); ++i)
      for (int ch = 0; ch + 1 < c.channels; ++ch) REQUIRE(t.states()[s * ss + size_t(i) * c.channels + ch] == 0.0f);
  }
}

TEST_CASE("pool steps draw horizons within the range and write the rollout back") {
  const ModelConfig c = small_config();
  const Dataset data = toy_digits(c, 8);
  PoolConfig pc;
  pc.pool_size = 8;
  pc.replace = 0;
  pc.horizon_min = 2;
  pc.horizon_max = 4;
  auto be = make_backend(c, 8);  // the whole pool every step
  PoolTrainer t(*be, data, pc, 2);
  std::vector<int> seen(5, 0);
  for (uint32_t s = 0; s < 12; ++s) {
    const std::vector<float> before = t.states();
    const TrainStepResult r = t.train_step(s);
    REQUIRE(t.last_horizon() >= 2);
    REQUIRE(t.last_horizon() <= 4);
    ++seen[t.last_horizon()];
    CHECK(std::isfinite(r.loss));
    // The default init's zero last layer leaves step 0's states as they were; later ones move.
    if (s > 0) CHECK(t.states() != before);
  }
  CHECK(seen[2] + seen[3] + seen[4] == 12);
  CHECK(seen[2] * seen[3] * seen[4] > 0);
}

TEST_CASE("damage erases a disc in every channel before the sample continues") {
  ModelConfig c = small_config();
  const Dataset data = toy_digits(c, 4);
  PoolConfig pc;
  pc.pool_size = 4;
  pc.replace = 0;
  pc.damage = 4;
  pc.damage_radius = 2;
  pc.horizon_min = pc.horizon_max = 1;
  auto be = make_backend(c, 4);
  // A model that leaves every state unchanged (zero last layer: the default init) makes the
  // damage visible in the state written back.
  PoolTrainer t(*be, data, pc, 5);
  std::vector<float> filled(t.states().size(), 0.0f);
  t.train_step(0);
  const size_t ss = size_t(c.cells()) * c.channels;
  int zero_cells = 0;
  for (int s = 0; s < 4; ++s)
    for (int i = 0; i < c.cells(); ++i) {
      bool all_zero = true;
      for (int ch = 0; ch < c.channels; ++ch) all_zero = all_zero && t.states()[s * ss + size_t(i) * c.channels + ch] == 0.0f;
      zero_cells += all_zero;
    }
  // At least the disc (about pi r^2 = 12 cells each, clipped at borders) is zero.
  CHECK(zero_cells >= 4 * 5);
}

TEST_CASE("a diverged pool step throws and leaves the pool and parameters unchanged") {
  const ModelConfig c = small_config();
  const Dataset data = toy_digits(c, 6);
  PoolConfig pc;
  pc.pool_size = 6;
  pc.replace = 2;
  pc.damage = 1;
  pc.horizon_min = pc.horizon_max = 3;
  auto be = make_backend(c, 4);
  auto params = be->params();
  const TensorSpec& b3 = be->layout().layer_bias(c.num_layers() - 1);
  for (size_t i = 0; i < b3.count; ++i) params[b3.offset + i] = 3e38f;  // overflows in one step
  be->set_params(params);
  PoolTrainer t(*be, data, pc, 9);
  const auto states = t.states();
  const auto digits = t.digits();
  CHECK_THROWS_AS(t.train_step(0), DivergedError);
  CHECK(t.states() == states);
  CHECK(t.digits() == digits);
  CHECK(be->params() == params);
}

TEST_CASE("pool flags: ranges and validation name the bad value") {
  int lo = 0, hi = 0;
  parse_range("64..96", "--horizon", &lo, &hi);
  CHECK(lo == 64);
  CHECK(hi == 96);
  parse_range("80", "--horizon", &lo, &hi);
  CHECK(lo == 80);
  CHECK(hi == 80);
  CHECK_THROWS_WITH_AS(parse_range("96..64", "--horizon", &lo, &hi), doctest::Contains("--horizon '96..64'"), Error);
  CHECK_THROWS_AS(parse_range("6x", "--horizon", &lo, &hi), Error);
  CHECK_THROWS_AS(parse_range("..5", "--horizon", &lo, &hi), Error);
  PoolConfig pc;
  pc.pool_size = 4;
  CHECK_THROWS_WITH_AS(pc.validate(8), doctest::Contains("pool size 4"), Error);
  pc.pool_size = 64;
  pc.replace = 6;
  pc.damage = 3;
  CHECK_THROWS_WITH_AS(pc.validate(8), doctest::Contains("damage 3"), Error);
  CHECK(parse_damage_mode("mixed") == DamageMode::kMixed);
  CHECK_THROWS_AS(parse_damage_mode("burn"), Error);
}

// ---- the recipe knobs of the repair search (issue 19)

namespace {

PoolConfig every_knob() {
  PoolConfig pc;
  pc.pool_size = 12;
  pc.replace = 1;
  pc.horizon_min = 4;
  pc.horizon_max = 7;
  pc.damage = 2;
  pc.damage_mode = DamageMode::kBrushes;
  pc.damage_radius_min = 1;
  pc.damage_radius = 3;
  pc.stroke_length_min = 3;
  pc.stroke_length_max = 6;
  pc.loss_steps = 3;
  pc.loss_spacing = 1;
  pc.noise_start = 0.2f;
  pc.noise_ramp = 4;
  return pc;
}

}  // namespace

TEST_CASE("every recipe knob at once still resumes bit for bit") {
  const ModelConfig c = small_config();
  const Dataset data = toy_digits(c, 10);
  const PoolConfig pc = every_knob();
  check_resume_bit_for_bit(c, data, pc, 11, "pool_knobs.pool");
  // Every knob is named in the line the checkpoint's metadata keeps.
  const std::string d = pc.describe();
  CHECK(d.find("damage 2 brushes r1..3 strokes 3..6") != std::string::npos);
  CHECK(d.find("loss mean of 3 steps 1 apart") != std::string::npos);
  CHECK(d.find("noise curriculum 0.2..1 over 4 steps") != std::string::npos);
}

TEST_CASE("the loss over several steps is the mean of the losses along one cut rollout") {
  ModelConfig c = small_config();
  c.dropout_rate = 0.0f;  // no masks: the reference below runs the same steps
  const Dataset data = toy_digits(c, 6);
  PoolConfig pc;
  pc.pool_size = 4;
  pc.replace = 0;
  pc.horizon_min = pc.horizon_max = 5;
  pc.loss_steps = 2;
  pc.loss_spacing = 2;  // losses after steps 3 and 5
  auto be = make_backend(c, 4);
  auto params = be->params();
  for (float& p : params) p += 0.01f;  // a last layer that is not zero, so the states move
  be->set_params(params);
  auto ref = make_backend(c, 4);
  ref->set_params(params);
  PoolTrainer t(*be, data, pc, 4);
  // The whole pool is the batch; the loss and gradient are means over it, so its order only
  // changes the rounding.
  std::vector<float> clean;
  for (int d : t.digits()) clean.insert(clean.end(), data.image(d), data.image(d) + c.cells());
  std::vector<float> g1, g2, mid, end;
  const float l1 = ref->loss_and_grad(t.states(), clean, 4, 3, {}, g1, &mid);
  const float l2 = ref->loss_and_grad(mid, clean, 4, 2, {}, g2, &end);
  const TrainStepResult r = t.train_step(0);
  CHECK(r.loss == doctest::Approx(0.5 * (l1 + l2)).epsilon(1e-5));
  std::vector<float> g(g1.size());
  for (size_t i = 0; i < g.size(); ++i) g[i] = 0.5f * (g1[i] + g2[i]);
  ref->apply_gradients(g);
  const auto pa = be->params(), pb = ref->params();
  for (size_t i = 0; i < pa.size(); ++i) REQUIRE(pa[i] == doctest::Approx(pb[i]).epsilon(1e-4));
  // A loss step before the first rollout step is refused.
  PoolConfig bad = pc;
  bad.loss_steps = 3;  // steps 1, 3, 5 fit in 5; 4 apart would not
  bad.loss_spacing = 4;
  CHECK_THROWS_WITH_AS(bad.validate(4), doctest::Contains("needs a horizon of at least 9"), Error);
}

TEST_CASE("brush damage erases discs and strokes and noises discs") {
  ModelConfig c = small_config();
  c.height = c.width = 16;
  const Dataset data = toy_digits(c, 4);
  PoolConfig pc;
  pc.pool_size = 8;
  pc.replace = 0;
  pc.damage = 8;
  pc.damage_mode = DamageMode::kBrushes;
  pc.damage_radius = 2;
  pc.horizon_min = pc.horizon_max = 1;
  auto be = make_backend(c, 8);  // zero last layer: the states keep the damage
  PoolTrainer t(*be, data, pc, 5);
  const std::vector<float> before = t.states();
  int erased = 0, noised = 0;
  for (uint32_t s = 0; s < 6; ++s) {
    const std::vector<float> prev = t.states();
    t.train_step(s);
    const size_t ss = size_t(c.cells()) * c.channels;
    for (int k = 0; k < pc.pool_size; ++k) {
      int zeroed = 0, moved = 0;
      for (int i = 0; i < c.cells(); ++i) {
        const size_t img = k * ss + size_t(i) * c.channels + c.channels - 1;
        if (prev[img] != 0.0f && t.states()[img] == 0.0f) ++zeroed;
        if (t.states()[img] != prev[img] && t.states()[img] != 0.0f) ++moved;
      }
      erased += zeroed > 0 && moved == 0;
      noised += moved > 0;
    }
  }
  CHECK(erased > 0);
  CHECK(noised > 0);
}

TEST_CASE("the noise curriculum starts with the cap it is given") {
  const ModelConfig c = small_config();
  const Dataset data = toy_digits(c, 5);
  PoolConfig pc;
  pc.pool_size = 6;
  pc.noise_start = 0.0f;  // at step 0 the cap is 0: fresh digits are clean
  pc.noise_ramp = 100;
  auto be = make_backend(c, 4);
  PoolTrainer t(*be, data, pc, 1);
  const size_t ss = size_t(c.cells()) * c.channels;
  for (int s = 0; s < pc.pool_size; ++s)
    for (int i = 0; i < c.cells(); ++i)
      REQUIRE(t.states()[s * ss + size_t(i) * c.channels + c.channels - 1] == data.image(t.digits()[s])[i]);
  // Off (the default) keeps U(0, 1): some pixel of some fresh digit differs from its target.
  PoolConfig off = pc;
  off.noise_ramp = 0;
  PoolTrainer u(*be, data, off, 1);
  bool noisy = false;
  for (int s = 0; s < off.pool_size; ++s)
    for (int i = 0; i < c.cells(); ++i)
      noisy = noisy || u.states()[s * ss + size_t(i) * c.channels + c.channels - 1] != data.image(u.digits()[s])[i];
  CHECK(noisy);
}
