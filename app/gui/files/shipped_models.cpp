// The shipped-model list (see shipped_models.h).
#include "gui/files/shipped_models.h"

#include <algorithm>
#include <exception>
#include <filesystem>

#include "core/checkpoint.h"

namespace fs = std::filesystem;

namespace rrcnn {

std::string recipe_description(const std::string& recipe, int rollout_steps) {
  const std::string n = std::to_string(rollout_steps);
  if (recipe == "seed")
    return "Reference recipe: cleans noisy digits within " + n +
           " steps; not trained to persist or repair.";
  if (recipe == "pool")
    return "Sample-pool recipe: persistent, trained to hold and repair its digits; runs on "
           "indefinitely.";
  return "Recipe '" + recipe + "', trained over " + n + " steps.";
}

std::string checkpoint_description(const Checkpoint& ck) {
  return ck.description.empty() ? recipe_description(ck.recipe, ck.config.rollout_steps) : ck.description;
}

std::string recipe_name(const std::string& recipe) {
  return recipe.empty() || recipe == "seed" ? "reference" : recipe;
}

std::string size_name(const std::string& preset) {
  return (preset == "seed" ? std::string("full") : preset) + " size";
}

bool recipe_runs_endless(const std::string& recipe) {
  return recipe == "pool";
}

std::vector<ShippedModel> list_shipped_models(const std::string& dir,
                                              const std::string& default_name,
                                              std::vector<std::string>* skipped) {
  std::vector<ShippedModel> out;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    const fs::path p = e.path();
    if (p.extension() != ".safetensors" || !e.is_regular_file(ec)) continue;
    try {
      const Checkpoint ck = load_checkpoint(p.string());
      ShippedModel m;
      m.path = fs::absolute(p).lexically_normal().string();
      m.name = p.stem().string();
      m.recipe = ck.recipe;
      m.preset = ck.config.preset;
      m.trained_steps = ck.adam.step;
      m.description = checkpoint_description(ck);
      out.push_back(m);
    } catch (const std::exception& ex) {
      if (skipped) skipped->push_back(p.filename().string() + ": " + ex.what());
    }
  }
  std::sort(out.begin(), out.end(), [&](const ShippedModel& a, const ShippedModel& b) {
    const bool ad = fs::path(a.path).filename() == default_name;
    const bool bd = fs::path(b.path).filename() == default_name;
    if (ad != bd) return ad;
    return a.name < b.name;
  });
  return out;
}

}  // namespace rrcnn
