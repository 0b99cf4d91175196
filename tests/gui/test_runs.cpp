// Models and runs of your own (issue 18): the New model form (every bad field named in one line,
// the parameter count), the trainer on core's driver with the pool recipe (saved as such, with
// its sidecar and log; Continue keeps the pool), the run logs (labels from the "run" line or
// the checkpoint beside an older log, a log cut at a checkpoint's step, the log beside a saved
// checkpoint), and the script actions that drive them.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "core/checkpoint.h"
#include "core/config_json.h"
#include "core/cpu_backend.h"
#include "core/init.h"
#include "core/param_layout.h"
#include "core/training_driver.h"
#include "gui/scripting/model_script.h"
#include "gui/scripting/script.h"
#include "gui/training/model_form.h"
#include "gui/training/run_logs.h"
#include "gui/training/trainer.h"

using namespace rrcnn;
namespace fs = std::filesystem;

namespace {

// An odd-sized config (widths not multiples of the vector width), on a small grid.
ModelConfig odd() {
  ModelConfig c;
  c.height = 7;
  c.width = 5;
  c.channels = 5;
  c.perception = 7;
  c.hidden = {13, 17};
  c.rollout_steps = 3;
  c.preset = "odd";
  return c;
}

std::shared_ptr<const Dataset> digits(int n) {
  auto d = std::make_shared<Dataset>();
  d->source = "synthetic";
  d->height = 7;
  d->width = 5;
  for (int i = 0; i < n; ++i) {
    for (int p = 0; p < 35; ++p) d->images.push_back(float((p * 7 + i * 3) % 11) / 10.0f);
    d->labels.push_back(uint8_t(i % 10));
  }
  return d;
}

template <typename Pred>
bool eventually(Pred pred, double seconds = 30) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return pred();
}

std::string scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("rrcnn-test-runs-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return (dir / name).string();
}

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

Recipe pool_recipe() {
  Recipe r;
  r.pool = true;
  r.pool_config.pool_size = 4;
  r.pool_config.replace = 1;
  r.pool_config.horizon_min = 2;
  r.pool_config.horizon_max = 4;
  r.pool_config.damage = 1;
  return r;
}

}  // namespace

TEST_CASE("new model form: the config, its size, and every bad field in one line") {
  ModelForm f = ModelForm::from(model_preset("seed"));
  std::string why;
  REQUIRE(f.assign("channels=24 perception=20 hidden=40,24 dropout=0.3 step_size=0.5 horizon=48 "
                   "train_perception=on name=mine",
                   &why));
  ModelConfig c;
  REQUIRE(f.to_config(28, 28, &c, &why));
  CHECK(why.empty());
  CHECK(c.channels == 24);
  CHECK(c.perception == 20);
  CHECK(c.hidden == std::vector<int>{40, 24});
  CHECK(c.dropout_rate == doctest::Approx(0.3f));
  CHECK(c.step_size == doctest::Approx(0.5f));
  CHECK(c.rollout_steps == 48);
  CHECK(c.train_perception);
  CHECK(c.preset == "mine");
  const ParamLayout layout(c);
  const std::string count_text = parameter_count_text(c);
  CHECK(count_text.find(std::to_string(layout.total() % 1000)) != std::string::npos);
  CHECK(count_text.find("perception kernel included") != std::string::npos);
  // Round trip through the JSON the dialog's commands carry.
  const ModelConfig back = model_config_from_json(model_config_to_json(c), "test");
  CHECK(back.hidden == c.hidden);
  CHECK(back.train_perception);

  f.channels = 0;
  f.hidden = "40,x";
  f.dropout = 1.0f;
  CHECK_FALSE(f.to_config(28, 28, &c, &why));
  CHECK(why.find("channels") != std::string::npos);
  CHECK(why.find("hidden") != std::string::npos);
  CHECK(why.find("dropout") != std::string::npos);
  CHECK(why.find("perception") == std::string::npos);  // a good field is not named
  CHECK(why.find('\n') == std::string::npos);
  CHECK(why.find("model config:") == std::string::npos);
  CHECK(c.channels == 24);  // unchanged on failure

  ModelForm g;
  CHECK_FALSE(g.assign("channels=abc", &why));
  CHECK(why.find("channels=abc") != std::string::npos);
  CHECK_FALSE(g.assign("width=3", &why));
  CHECK(why.find("unknown field") != std::string::npos);
  CHECK_FALSE(g.assign("hidden", &why));
}

TEST_CASE("trainer: the pool recipe through the driver, saved as pool with sidecar and log") {
  const ModelConfig c = odd();
  Trainer t([](const ModelConfig& cfg) { return std::make_unique<CpuBackend>(cfg); });
  TrainSettings ts;
  ts.batch = 2;
  ts.target_steps = 3;
  ts.recipe = pool_recipe();
  const std::string log = scratch("run.jsonl");
  fs::remove(log);
  const std::vector<float> p0 = init_params(ParamLayout(c), 0);
  const auto data = digits(6);  // the studio's training set: one object across runs
  CHECK_FALSE(t.save(scratch("none.safetensors"), true));  // no run: nothing to save from
  t.start(c, p0, AdamState{}, data, ts, RunFiles{log, ""});
  REQUIRE(eventually([&] { return t.status().phase == TrainPhase::kFinished; }));
  t.poll();
  CHECK(t.status().step == 3);
  CHECK(t.status().recipe == "pool");
  CHECK(t.log_path() == log);

  const std::string ck = scratch("pooled.safetensors");
  REQUIRE(t.save(ck, true));
  const Checkpoint back = load_checkpoint(ck);
  CHECK(back.recipe == "pool");
  CHECK(back.config.hidden == c.hidden);
  CHECK(back.config.channels == 5);
  CHECK(back.adam.step == 3);
  CHECK(back.note.find("rrcnn studio, pool 4, replace 1, horizon 2..4") == 0);
  CHECK(fs::exists(ck + ".pool"));
  TrainSnapshotParams w;
  REQUIRE(t.take_params(0, &w));
  CHECK(w.params == back.params);

  // Continue: the same driver goes on (one "run" line in the log, the pool kept).
  ts.target_steps = 5;
  t.start(c, w.params, w.adam, data, ts, RunFiles{log, ""});
  REQUIRE(eventually([&] { return t.status().phase == TrainPhase::kFinished; }));
  t.poll();
  CHECK(t.status().step == 5);
  const std::string text = read_all(log);
  CHECK(count(text, "\"run\"") == 1);
  CHECK(count(text, "{\"step\":") == 5);
  CHECK(count(text, ",\"horizon\":") == 5);  // per step (the run line's config has ", ")

  // Another recipe: a new driver (a second "run" line), saved as the reference recipe.
  REQUIRE(t.take_params(0, &w));
  ts.recipe = Recipe{};
  ts.target_steps = 6;
  t.start(c, w.params, w.adam, data, ts, RunFiles{log, ""});
  REQUIRE(eventually([&] { return t.status().phase == TrainPhase::kFinished; }));
  t.poll();
  CHECK(count(read_all(log), "\"run\"") == 2);
  const std::string ck2 = scratch("reference.safetensors");
  REQUIRE(t.save(ck2, false));
  CHECK(load_checkpoint(ck2).recipe == "seed");
  CHECK(load_checkpoint(ck2).adam.empty());

  // Saving during a run waits for the step in flight only (the worker yields to it), and the
  // run goes on after.
  t.forget_run(0);
  ts.recipe = pool_recipe();
  ts.target_steps = 1000000;
  t.start(c, p0, AdamState{}, data, ts, RunFiles{log, ""});
  REQUIRE(eventually([&] { return t.status().step >= 2; }));
  const std::string ck3 = scratch("while-running.safetensors");
  const auto t0 = std::chrono::steady_clock::now();
  REQUIRE(t.save(ck3, true));
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
  const int64_t saved_at = load_checkpoint(ck3).adam.step;
  TrainSettings small = ts;
  small.batch = 1;  // no room for the pool's replaced and damaged samples: refused at once
  CHECK_THROWS_WITH(t.set_settings(small), doctest::Contains("damage"));
  CHECK(saved_at >= 2);
  CHECK(t.status().phase == TrainPhase::kRunning);
  REQUIRE(eventually([&] { return t.status().step > saved_at + 1; }));
  t.stop();
  t.join();

  // A pool that does not fit the batch is refused at start, naming the field.
  t.forget_run(0);
  ts.recipe = pool_recipe();
  ts.recipe.pool_config.replace = 3;
  ts.target_steps = 10;
  CHECK_THROWS_WITH(t.start(c, p0, AdamState{}, digits(6), ts), doctest::Contains("replace"));
  CHECK(t.status().phase == TrainPhase::kIdle);
  CHECK_FALSE(t.save(ck2, true));  // forgotten: nothing of a run to save
}

TEST_CASE("run logs: labels, cut at a step, the log beside a saved checkpoint") {
  const ModelConfig c = odd();
  const std::string log = scratch("labelled.jsonl");
  fs::remove(log);
  {
    CpuBackend backend(c);
    Checkpoint start;
    start.config = c;
    start.params = init_params(ParamLayout(c), 0);
    TrainConfig tc;
    tc.batch = 2;
    DriverOptions opts;
    opts.log_path = log;
    const auto data = digits(6);
    TrainingDriver d(backend, *data, start, false, tc, pool_recipe(), opts);
    d.run(4);
  }
  const RunLog r = read_run_log(log);
  CHECK(r.recipe == "pool");
  CHECK(r.points.size() == 4);
  CHECK(r.average.size() == 4);
  CHECK(r.points[0].step == 1);
  CHECK(r.label.find("labelled: C 5, P 7, hidden 13,17") == 0);
  CHECK(r.label.find("pool 4, replace 1, horizon 2..4") != std::string::npos);

  // What a checkpoint at step 2 went through: the run line and steps 0 and 1.
  const std::string cut = log_text_before(log, 2);
  CHECK(count(cut, "\"run\"") == 1);
  CHECK(count(cut, "{\"step\":") == 2);
  CHECK(log_text_before(scratch("missing.jsonl"), 2).empty());

  // Beside a saved checkpoint: the loaded history, then this session's log; written again the
  // same way on the next save (never doubled).
  const std::string beside = scratch("saved.jsonl");
  write_log_beside(beside, cut, log);
  write_log_beside(beside, cut, log);
  const std::string text = read_all(beside);
  CHECK(count(text, "{\"step\":") == 6);
  CHECK(count(text, "\"run\"") == 2);
  CHECK(read_run_log(beside).points.size() == 6);

  // An older log without a "run" line: the checkpoint beside it names config and recipe.
  const fs::path dir = fs::path(scratch("old-run"));
  fs::create_directories(dir);
  {
    std::ofstream out(dir / "train.jsonl");
    out << "{\"step\":0,\"loss\":0.5,\"lr\":0.001,\"grad_norm\":1,\"seconds\":0.1}\n"
        << "{\"step\":1,\"loss\":0.4,\"lr\":0.001,\"grad_norm\":1,\"seconds\":0.2}\n";
  }
  Checkpoint ck;
  ck.config = c;
  ck.params = init_params(ParamLayout(c), 0);
  ck.recipe = "pool";
  ck.note = "rrcnn train, pool 8, replace 2, horizon 3..5";
  save_checkpoint((dir / "model.safetensors").string(), ck);
  const RunLog old = read_run_log((dir / "train.jsonl").string());
  CHECK(old.label == "old-run: C 5, P 7, hidden 13,17, dropout 0.5, step 1, horizon 3, grid 7x5 | "
                     "pool 8, replace 2, horizon 3..5");
  CHECK(old.points.size() == 2);
  CHECK_THROWS(read_run_log(scratch("missing.jsonl")));
}

TEST_CASE("script: new model, recipe and overlay actions") {
  const auto actions = parse_script(
      "new-model channels=24 perception=20 hidden=40,24\n"
      "new-model-dialog channels=24\n"
      "wait-new-model 100\n"
      "recipe pool pool=16 replace=1 horizon=8..12 damage=1 radius=3 kind=brushes\n"
      "recipe seed\n"
      "overlay runs/a.jsonl\n"
      "overlay remove all\n"
      "assert recipe pool\n"
      "assert config C 24\n",
      "t.script");
  REQUIRE(actions.size() == 9);
  CHECK_THROWS(parse_script("recipe sparse\n", "t.script"));
  StudioState s;
  s.model.config = model_preset("seed");
  Command c;
  REQUIRE(model_action_command(actions[0], s, &c));
  CHECK(c.kind == Cmd::kNewModel);
  const ModelConfig m = model_config_from_json(c.path, "cmd");
  CHECK(m.channels == 24);
  CHECK(m.hidden == std::vector<int>{40, 24});
  REQUIRE(model_action_command(actions[3], s, &c));
  CHECK(c.kind == Cmd::kSetTrain);
  CHECK(c.train.recipe.pool);
  CHECK(c.train.recipe.pool_config.pool_size == 16);
  CHECK(c.train.recipe.pool_config.horizon_min == 8);
  CHECK(c.train.recipe.pool_config.horizon_max == 12);
  CHECK(c.train.recipe.pool_config.damage_mode == DamageMode::kBrushes);
  REQUIRE(model_action_command(actions[6], s, &c));
  CHECK(c.kind == Cmd::kOverlayRemove);
  CHECK(c.n == -1);
  // A bad field becomes an error naming it, not a silent default.
  const auto bad = parse_script("new-model channels=0\nrecipe pool horizon=9..x\n", "t.script");
  REQUIRE(model_action_command(bad[0], s, &c));
  CHECK(c.kind == Cmd::kShowError);
  CHECK(c.path.find("channels") != std::string::npos);
  REQUIRE(model_action_command(bad[1], s, &c));
  CHECK(c.kind == Cmd::kShowError);
  CHECK(c.path.find("horizon") != std::string::npos);
  s.model.recipe = "pool";
  CHECK(model_observed(s, "recipe") == "pool");
  CHECK(model_observed(s, "overlays") == "0");
  CHECK(model_observed(s, "config").find("C 64, P 64, hidden 128,128") == 0);
}
