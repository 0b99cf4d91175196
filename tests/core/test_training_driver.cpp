// The training driver (core/training_driver.h) that `rrcnn train` runs: both recipes on a custom
// config save a checkpoint with the whole config and the recipe, a pool sidecar for the pool
// recipe, a JSONL log next to the checkpoint (a run line, then one line per step); a resumed
// pool run continues bit for bit like an uninterrupted one; divergence throws the one error
// type, leaves the backend at the last good weights and saves them as OUT.last-good.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/config_json.h"
#include "core/cpu_backend.h"
#include "core/error.h"
#include "core/json_io.h"
#include "core/training_driver.h"

#include "training_fixture.h"

using namespace rrcnn;
using rrcnn::test::toy_digits;

namespace {

ModelConfig custom_config() {
  ModelConfig c;
  c.preset = "tiny-custom";
  c.height = 8;
  c.width = 9;
  c.channels = 6;
  c.perception = 10;
  c.hidden = {12, 7};
  c.rollout_steps = 4;
  c.train_perception = true;
  return c;
}

struct Dir {
  std::string path;
  Dir() {
    char tmpl[] = "/tmp/rrcnn-driver-XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    path = tmpl;
  }
  ~Dir() { std::filesystem::remove_all(path); }
};

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream f(path);
  std::vector<std::string> out;
  for (std::string l; std::getline(f, l);) out.push_back(l);
  return out;
}

TrainConfig small_train() {
  TrainConfig tc;
  tc.batch = 3;
  return tc;
}

Recipe pool_recipe() {
  Recipe r;
  r.pool = true;
  r.pool_config.pool_size = 8;
  r.pool_config.replace = 1;
  r.pool_config.horizon_min = 3;
  r.pool_config.horizon_max = 5;
  r.pool_config.damage = 1;
  return r;
}

}  // namespace

TEST_CASE("driver, pool recipe on a custom config: checkpoint, recipe metadata, pool sidecar, log") {
  const Dir d;
  const ModelConfig c = custom_config();
  const Dataset data = toy_digits(c, 10);
  CpuBackend be(c);
  Checkpoint start;
  start.config = c;
  start.seed = 5;
  DriverOptions opt;
  opt.out = d.path + "/run.safetensors";
  opt.save_every = 2;
  TrainingDriver driver(be, data, start, true, small_train(), pool_recipe(), opt);
  CHECK(driver.log_path() == d.path + "/run.jsonl");
  std::vector<StepReport> seen;
  driver.on_step = [&](const StepReport& r) { seen.push_back(r); };
  CHECK(driver.run(3) == 3);
  REQUIRE(seen.size() == 3);
  CHECK(seen.back().step == 3);
  CHECK(seen[0].horizon >= 3);
  CHECK(seen[0].horizon <= 5);

  const Checkpoint ck = load_checkpoint(opt.out);
  CHECK(ck.recipe == "pool");
  CHECK(ck.note.find("pool 8") != std::string::npos);
  CHECK(model_config_to_json(ck.config) == model_config_to_json(c));
  CHECK(ck.adam.step == 3);
  CHECK(ck.adam.mu.size() == ParamLayout(c).total());  // trained perception: every tensor
  CHECK(std::filesystem::exists(opt.out + ".pool"));

  const std::vector<std::string> log = lines_of(driver.log_path());
  REQUIRE(log.size() == 4);
  const Json run = parse_json(log[0], "run line");
  REQUIRE(json_find(run, "run"));
  CHECK(run.at("run").at("recipe") == "pool");
  CHECK(run.at("run").at("config").at("channels") == 6);
  for (int i = 1; i <= 3; ++i) {
    const Json l = parse_json(log[i], "step line");
    CHECK(l.at("step") == i - 1);
    CHECK(std::isfinite(l.at("loss").get<double>()));
    CHECK(json_find(l, "horizon"));
  }
}

TEST_CASE("driver: a resumed pool run continues bit for bit like an uninterrupted one") {
  const Dir d;
  const ModelConfig c = custom_config();
  const Dataset data = toy_digits(c, 10);
  Checkpoint start;
  start.config = c;
  start.seed = 7;
  DriverOptions whole;
  whole.out = d.path + "/whole.safetensors";
  whole.log_path = "-";
  CpuBackend a(c);
  TrainingDriver(a, data, start, true, small_train(), pool_recipe(), whole).run(4);

  DriverOptions part = whole;
  part.out = d.path + "/part.safetensors";
  {
    CpuBackend b(c);
    TrainingDriver(b, data, start, true, small_train(), pool_recipe(), part).run(2);
  }
  const Checkpoint mid = load_checkpoint(part.out);
  CpuBackend b(c);
  TrainingDriver resumed(b, data, mid, false, small_train(), pool_recipe(), part, part.out + ".pool");
  CHECK(resumed.pool_resumed());
  CHECK(resumed.first_step() == 2);
  resumed.run(2);
  CHECK(load_checkpoint(part.out).params == load_checkpoint(whole.out).params);
}

TEST_CASE("driver, reference recipe: divergence throws DivergedError and saves the last good state") {
  const Dir d;
  ModelConfig c = custom_config();
  c.train_perception = false;
  const Dataset data = toy_digits(c, 10);
  CpuBackend be(c);
  Checkpoint start;
  start.config = c;
  DriverOptions opt;
  opt.out = d.path + "/ref.safetensors";
  TrainingDriver driver(be, data, start, true, small_train(), Recipe{}, opt);
  driver.run(2);
  Checkpoint ck = load_checkpoint(opt.out);
  CHECK(ck.recipe == "seed");
  CHECK(ck.note.find("reference") != std::string::npos);
  // Huge last-layer weights: the next loss is not finite.
  const std::vector<float> good = be.params();
  std::vector<float> bad = good;
  const ParamLayout layout(c);
  const TensorSpec& w = layout.layer_kernel(c.num_layers() - 1);
  for (size_t i = 0; i < w.count; ++i) bad[w.offset + i] = 1e30f;
  be.set_params(bad);
  CHECK_THROWS_AS(driver.step(), DivergedError);
  CHECK(be.params() == bad);  // nothing applied
  CHECK(std::filesystem::exists(last_good_path(opt.out)));
  CHECK(last_good_path(opt.out) == d.path + "/ref.last-good.safetensors");
  try {
    driver.step();
  } catch (const DivergedError& e) {
    CHECK(std::string(e.what()).find("last good parameters") != std::string::npos);
  }
}

TEST_CASE("driver: new learning rates and batch apply at the next step; a bad one changes nothing") {
  // The studio's sliders during a run (app/gui/training/trainer.cpp).
  const ModelConfig c = custom_config();
  const Dataset data = toy_digits(c, 10);
  CpuBackend be(c);
  Checkpoint start;
  start.config = c;
  DriverOptions opt;  // no output: nothing saved, no log
  TrainingDriver driver(be, data, start, true, small_train(), pool_recipe(), opt);
  driver.step();
  TrainConfig tc = driver.train_config();
  tc.lr_start = tc.lr_end = 3e-4f;
  driver.set_train_config(tc);
  CHECK(be.train_config().lr_start == doctest::Approx(3e-4f));
  CHECK(driver.step().lr == doctest::Approx(3e-4f));
  TrainConfig bad = tc;
  bad.batch = 1;  // no room for the damaged sample: refused, naming it
  CHECK_THROWS_WITH(driver.set_train_config(bad), doctest::Contains("damage"));
  CHECK(driver.train_config().batch == tc.batch);
  CHECK(be.train_config().batch == tc.batch);
  CHECK(driver.step().step == 3);
}
