// Model configs beyond the presets: validation names the field, the JSON form round-trips and
// rejects what it cannot read, named configs resolve, and checkpoints record the whole config
// (trained perception included) and read older files without it.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "core/checkpoint.h"
#include "core/config_json.h"
#include "core/error.h"
#include "core/init.h"
#include "core/param_layout.h"

using namespace rrcnn;

namespace {

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

ModelConfig odd() {
  ModelConfig c;
  c.preset = "odd";
  c.channels = 5;
  c.perception = 7;
  c.hidden = {13, 17};
  c.dropout_rate = 0.25f;
  c.step_size = 0.5f;
  c.rollout_steps = 9;
  c.train_perception = true;
  return c;
}

}  // namespace

TEST_CASE("config validation: one line naming the field") {
  auto bad = [](auto change) {
    ModelConfig c;
    change(c);
    return error_of([&] { c.validate(); });
  };
  CHECK(bad([](ModelConfig& c) { c.channels = 0; }).find("channels") != std::string::npos);
  CHECK(bad([](ModelConfig& c) { c.perception = -3; }).find("perception") != std::string::npos);
  CHECK(bad([](ModelConfig& c) { c.hidden = {}; }).find("hidden") != std::string::npos);
  CHECK(bad([](ModelConfig& c) { c.hidden = {64, 0}; }).find("hidden layer 1") != std::string::npos);
  CHECK(bad([](ModelConfig& c) { c.dropout_rate = 1.0f; }).find("dropout") != std::string::npos);
  CHECK(bad([](ModelConfig& c) { c.step_size = 0.0f; }).find("step_size") != std::string::npos);
  CHECK(bad([](ModelConfig& c) { c.rollout_steps = 0; }).find("horizon") != std::string::npos);
  CHECK(bad([](ModelConfig&) {}).empty());
  for (const std::string& m : {bad([](ModelConfig& c) { c.channels = 0; })})
    CHECK(m.find('\n') == std::string::npos);
}

TEST_CASE("config JSON: round trip, partial files over the seed config, field errors") {
  const ModelConfig c = odd();
  const ModelConfig back = model_config_from_json(model_config_to_json(c), "rt");
  CHECK(back.preset == "odd");
  CHECK(back.channels == 5);
  CHECK(back.perception == 7);
  CHECK(back.hidden == std::vector<int>{13, 17});
  CHECK(back.dropout_rate == 0.25f);
  CHECK(back.step_size == 0.5f);
  CHECK(back.rollout_steps == 9);
  CHECK(back.train_perception);

  const ModelConfig partial = model_config_from_json("{\"channels\": 48, \"hidden\": [100, 72]}", "p");
  CHECK(partial.channels == 48);
  CHECK(partial.hidden == std::vector<int>{100, 72});
  CHECK(partial.perception == 64);
  CHECK_FALSE(partial.train_perception);

  CHECK(error_of([] { model_config_from_json("{\"chanels\": 4}", "f.json"); })
            .find("f.json: unknown field 'chanels'") != std::string::npos);
  CHECK(error_of([] { model_config_from_json("{\"hidden\": 4}", "f.json"); })
            .find("'hidden'") != std::string::npos);
  CHECK(error_of([] { model_config_from_json("{\"hidden\": [4.5]}", "f.json"); })
            .find("'hidden' must be an integer") != std::string::npos);
  CHECK(error_of([] { model_config_from_json("{\"dropout\": 1.5}", "f.json"); })
            .find("f.json: model config: dropout") != std::string::npos);
  CHECK(error_of([] { model_config_from_json("{\"train_perception\": 1}", "f.json"); })
            .find("train_perception") != std::string::npos);
  CHECK(error_of([] { model_config_from_json("[1]", "f.json"); }).find("object") != std::string::npos);
  CHECK(error_of([] { model_config_from_json("{", "f.json"); }).find("f.json: invalid JSON") != std::string::npos);
}

TEST_CASE("named configs and config files resolve; unknown names fail") {
  CHECK(resolve_model_config("seed").channels == 64);
  CHECK(resolve_model_config("lite").channels == 16);
  CHECK(error_of([] { resolve_model_config("huge"); }).find("huge") != std::string::npos);
  const std::string path = std::filesystem::temp_directory_path() / "rrcnn-test-wide.json";
  {
    std::ofstream f(path);
    f << "{\"channels\": 24, \"perception\": 20, \"hidden\": [40, 24]}";
  }
  const ModelConfig c = resolve_model_config(path);
  CHECK(c.preset == "rrcnn-test-wide");  // named after the file
  CHECK(c.channels == 24);
  std::filesystem::remove(path);
  CHECK(error_of([&] { resolve_model_config(path); }).find("cannot open") != std::string::npos);
}

TEST_CASE("checkpoints record the whole config, trained perception and its Adam moments") {
  const ModelConfig c = odd();
  const ParamLayout layout(c);
  CHECK(layout.trained_offset() == 0);  // the kernel joins the trained tail
  CHECK(layout.perceive_kernel().trained);
  Checkpoint ck;
  ck.config = c;
  ck.params = init_params(layout, 3);
  ck.adam.mu.assign(layout.trained_count(), 0.01f);
  ck.adam.nu.assign(layout.trained_count(), 0.02f);
  ck.adam.step = 7;
  const std::string path = std::filesystem::temp_directory_path() / "rrcnn-test-config.safetensors";
  save_checkpoint(path, ck);
  const Checkpoint back = load_checkpoint(path);
  std::filesystem::remove(path);
  CHECK(model_config_to_json(back.config) == model_config_to_json(c));
  CHECK(back.adam.mu.size() == layout.total());
  CHECK(back.adam.step == 7);
  CHECK(back.params == ck.params);

  // The frozen default: the layout's trained tail starts after the kernel.
  ModelConfig frozen = c;
  frozen.train_perception = false;
  const ParamLayout frozen_layout(frozen);
  CHECK(frozen_layout.trained_offset() == frozen_layout.perceive_kernel().count);
}
