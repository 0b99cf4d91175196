// The brush mix of the pool trainer's `brushes` damage (issue 19's recipe search): weights that
// leave one kind only must damage exactly as that kind's own mode does, and the default 1:1:1
// must be the old draw, so earlier runs resume bit for bit.
#include <doctest/doctest.h>

#include <memory>
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

struct Run {
  std::vector<float> params, states;
};

// Four optimiser steps of a small model; every continuing sample of the batch but the replaced
// one is damaged, so the damage kind decides the pool's contents and the weights.
Run run_pool(PoolConfig pc) {
  ModelConfig c = model_preset("lite");
  c.height = 8;
  c.width = 9;
  const Dataset data = toy_digits(c, 10);
  auto be = std::make_unique<CpuBackend>(c);
  be->set_params(init_params(be->layout(), 3));
  TrainConfig tc;
  tc.batch = 4;
  be->set_train_config(tc);
  pc.pool_size = 8;
  pc.replace = 1;
  pc.damage = 3;
  pc.damage_radius = 2;
  pc.horizon_min = pc.horizon_max = 3;
  PoolTrainer t(*be, data, pc, 11);
  for (uint32_t s = 0; s < 4; ++s) t.train_step(s);
  return {be->params(), t.states()};
}

PoolConfig brushes(int e, int s, int n) {
  PoolConfig pc;
  pc.damage_mode = DamageMode::kBrushes;
  pc.brush_mix[0] = e;
  pc.brush_mix[1] = s;
  pc.brush_mix[2] = n;
  return pc;
}

PoolConfig mode(DamageMode m) {
  PoolConfig pc;
  pc.damage_mode = m;
  return pc;
}

}  // namespace

TEST_CASE("a brush mix of one kind damages as that kind's own mode") {
  const Run noise = run_pool(mode(DamageMode::kNoise));
  const Run only_noise = run_pool(brushes(0, 0, 5));
  CHECK(only_noise.states == noise.states);
  CHECK(only_noise.params == noise.params);

  const Run erase = run_pool(mode(DamageMode::kErase));
  const Run only_erase = run_pool(brushes(2, 0, 0));
  CHECK(only_erase.states == erase.states);
  CHECK(only_erase.params == erase.params);

  // Strokes are neither: they differ from both discs.
  const Run only_strokes = run_pool(brushes(0, 1, 0));
  CHECK(only_strokes.states != erase.states);
  CHECK(only_strokes.states != noise.states);
}

TEST_CASE("the default brush mix is the old third-each draw, and other mixes change it") {
  const Run plain = run_pool(mode(DamageMode::kBrushes));
  CHECK(run_pool(brushes(1, 1, 1)).states == plain.states);
  CHECK(run_pool(brushes(3, 3, 3)).states == plain.states);  // only the ratio counts
  CHECK(run_pool(brushes(1, 1, 2)).states != plain.states);
}

TEST_CASE("brush mix: parsing, validation and the recipe line") {
  int mix[3] = {0, 0, 0};
  parse_brush_mix("1,1,2", "--brush-mix", mix);
  CHECK(mix[0] == 1);
  CHECK(mix[1] == 1);
  CHECK(mix[2] == 2);
  CHECK(brush_mix_text(mix) == "1,1,2");
  for (const char* bad : {"", "1,1", "1,1,2,3", "a,1,1", "1,,1", "-1,1,1", "1,1,1001", "0,0,0", "1.5,1,1", "1,1,2x"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_brush_mix(bad, "--brush-mix", mix), Error);
  }
  try {
    parse_brush_mix("1,x,1", "--brush-mix", mix);
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("--brush-mix '1,x,1'") != std::string::npos);
  }

  PoolConfig pc = brushes(1, 1, 2);
  pc.damage = 2;
  CHECK(pc.describe().find("mix 1:1:2") != std::string::npos);
  CHECK(brushes(1, 1, 1).describe().find("mix") == std::string::npos);
  pc.brush_mix[0] = pc.brush_mix[1] = pc.brush_mix[2] = 0;
  CHECK_THROWS_AS(pc.validate(8), Error);
}
