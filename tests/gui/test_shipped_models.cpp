// The checkpoint's recipe (saved, read back, absent = seed) and the shipped-model list: every
// checkpoint in the folder, the default first, damaged ones left out with a reason.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "core/checkpoint.h"
#include "core/error.h"
#include "core/init.h"
#include "core/param_layout.h"
#include "gui/files/shipped_models.h"

using namespace rrcnn;
namespace fs = std::filesystem;

namespace {

Checkpoint tiny_checkpoint(const std::string& recipe) {
  Checkpoint ck;
  ck.config.height = 7;
  ck.config.width = 5;
  ck.config.channels = 4;
  ck.config.perception = 6;
  ck.config.hidden = {8};
  ck.config.rollout_steps = 3;
  ck.config.preset = "tiny";
  ck.params = init_params(ParamLayout(ck.config), 1);
  ck.recipe = recipe;
  return ck;
}

std::string fresh_dir() {
  const fs::path d = fs::temp_directory_path() / "rrcnn_gui_shipped";
  fs::remove_all(d);
  fs::create_directories(d);
  return d.string();
}

}  // namespace

TEST_CASE("checkpoint recipe: saved, read back, absent means seed") {
  const std::string d = fresh_dir();
  save_checkpoint(d + "/p.safetensors", tiny_checkpoint("pool"), false);
  CHECK(load_checkpoint(d + "/p.safetensors").recipe == "pool");
  Checkpoint plain = tiny_checkpoint("");
  save_checkpoint(d + "/s.safetensors", plain, false);
  CHECK(load_checkpoint(d + "/s.safetensors").recipe == "seed");
  CHECK(Checkpoint{}.recipe == "seed");
}

TEST_CASE("a checkpoint's one-line description: saved, read back, shown in the model list") {
  const std::string d = fresh_dir();
  Checkpoint ck = tiny_checkpoint("pool");
  ck.description = "Heals what the brushes do.";
  save_checkpoint(d + "/heal.safetensors", ck, false);
  CHECK(load_checkpoint(d + "/heal.safetensors").description == "Heals what the brushes do.");
  save_checkpoint(d + "/plain.safetensors", tiny_checkpoint("pool"), false);
  CHECK(load_checkpoint(d + "/plain.safetensors").description.empty());
  const auto models = list_shipped_models(d, "plain.safetensors");
  REQUIRE(models.size() == 2);
  CHECK(models[1].name == "heal");
  CHECK(models[1].description == "Heals what the brushes do.");
  CHECK(models[0].description == recipe_description("pool", 3));  // none saved: from the recipe
  // Model lists have one line for it: a description over several lines is refused, naming it.
  ck.description = "two\nlines";
  save_checkpoint(d + "/bad.safetensors", ck, false);
  try {
    load_checkpoint(d + "/bad.safetensors");
    FAIL("a two-line description was accepted");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("bad.safetensors: metadata 'description'") != std::string::npos);
  }
}

TEST_CASE("shipped models: every checkpoint in the folder, the default first") {
  const std::string d = fresh_dir();
  save_checkpoint(d + "/zz-seed.safetensors", tiny_checkpoint("seed"), false);
  save_checkpoint(d + "/aa-pool.safetensors", tiny_checkpoint("pool"), false);
  save_checkpoint(d + "/mm-other.safetensors", tiny_checkpoint("curriculum"), false);
  std::ofstream(d + "/broken.safetensors") << "not a checkpoint";
  std::ofstream(d + "/notes.txt") << "hello";
  std::vector<std::string> skipped;
  const auto models = list_shipped_models(d, "zz-seed.safetensors", &skipped);
  REQUIRE(models.size() == 3);
  CHECK(models[0].name == "zz-seed");
  CHECK(models[0].recipe == "seed");
  CHECK(models[1].name == "aa-pool");
  CHECK(models[1].recipe == "pool");
  CHECK(models[2].name == "mm-other");
  CHECK(models[1].description.find("indefinitely") != std::string::npos);
  CHECK(models[2].description == "Recipe 'curriculum', trained over 3 steps.");
  CHECK(models[0].path == fs::path(d + "/zz-seed.safetensors").lexically_normal().string());
  REQUIRE(skipped.size() == 1);
  CHECK(skipped[0].find("broken.safetensors") == 0);
  CHECK(list_shipped_models(d + "/missing", "x").empty());
  CHECK(recipe_runs_endless("pool"));
  CHECK_FALSE(recipe_runs_endless("seed"));
  CHECK(recipe_description("seed", 64).find("within 64 steps") != std::string::npos);
}

TEST_CASE("distinct words for a model's size and its recipe") {
  CHECK(recipe_name("seed") == "reference");
  CHECK(recipe_name("pool") == "pool");
  CHECK(size_name("seed") == "full size");
  CHECK(size_name("lite") == "lite size");
}
