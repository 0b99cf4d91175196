// The models shipped with the studio: every checkpoint (*.safetensors) in the assets folder,
// the default one first, each with a name and a one-line description from its metadata (the
// recipe it was trained with), so a new model dropped into assets/ shows up in the model
// switcher without code changes. No window code; unit-tested.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rrcnn {

struct Checkpoint;

struct ShippedModel {
  std::string path;         // absolute
  std::string name;         // file stem: "rrcnn-seed"
  std::string recipe;       // "seed", "pool", ...
  std::string preset;       // "seed", "lite", "custom"
  int64_t trained_steps = 0;
  std::string description;  // one line
};

// Checkpoints in `dir` that load, sorted by name with `default_name` (a file name) first;
// unreadable ones are left out and named in *skipped ("file: why").
std::vector<ShippedModel> list_shipped_models(const std::string& dir,
                                              const std::string& default_name,
                                              std::vector<std::string>* skipped = nullptr);

// "Reference recipe: cleans noisy digits within 64 steps; not trained to persist." and the
// like, from the recipe and the rollout length it was trained with.
std::string recipe_description(const std::string& recipe, int rollout_steps);
// The line a model list shows for a checkpoint: its own saved description, else its recipe's.
std::string checkpoint_description(const Checkpoint& ck);

// Words for the screen that keep a model's size and its recipe apart (both were once "seed"):
// recipe "seed" -> "reference", "pool" -> "pool"; preset "seed" -> "full size", "lite" ->
// "lite size".
std::string recipe_name(const std::string& recipe);
std::string size_name(const std::string& preset);

// Persistent models (trained with a sample pool) run on indefinitely in the live view.
bool recipe_runs_endless(const std::string& recipe);

}  // namespace rrcnn
