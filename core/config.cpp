// Presets and validation of the configuration structs.
#include "core/config.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/error.h"

namespace rrcnn {

int ModelConfig::max_width() const {
  int m = std::max(perception, channels);
  for (int k : hidden) m = std::max(m, k);
  return m;
}

void ModelConfig::validate() const {
  RRCNN_CHECK(height >= 1 && width >= 1 && height <= 4096 && width <= 4096,
              "model config: grid (height, width) " << height << "x" << width
                                                   << " is out of range 1..4096");
  RRCNN_CHECK(channels >= 1 && channels <= 4096,
              "model config: channels = " << channels << " is out of range 1..4096");
  RRCNN_CHECK(perception >= 1 && perception <= 4096,
              "model config: perception = " << perception << " is out of range 1..4096");
  RRCNN_CHECK(!hidden.empty() && hidden.size() <= 8,
              "model config: hidden needs 1..8 layer widths, got " << hidden.size());
  for (size_t l = 0; l < hidden.size(); ++l)
    RRCNN_CHECK(hidden[l] >= 1 && hidden[l] <= 8192, "model config: hidden layer " << l << " width "
                                                         << hidden[l] << " is out of range 1..8192");
  RRCNN_CHECK(rollout_steps >= 1 && rollout_steps <= 100000,
              "model config: horizon = " << rollout_steps << " steps is out of range 1..100000");
  RRCNN_CHECK(dropout_rate >= 0.0f && dropout_rate < 1.0f,
              "model config: dropout = " << dropout_rate << " must be in [0, 1)");
  RRCNN_CHECK(std::isfinite(step_size) && step_size > 0.0f && step_size <= 100.0f,
              "model config: step_size = " << step_size << " must be in (0, 100]");
}

std::string ModelConfig::hidden_string() const {
  std::ostringstream os;
  for (size_t i = 0; i < hidden.size(); ++i) os << (i ? "," : "") << hidden[i];
  return os.str();
}

void TrainConfig::validate() const {
  RRCNN_CHECK(batch >= 1 && batch <= 4096, "train config: batch " << batch << " out of range 1..4096");
  RRCNN_CHECK(steps >= 0, "train config: steps " << steps << " must not be negative");
  RRCNN_CHECK(lr_start > 0 && lr_end > 0 && lr_start < 10 && lr_end < 10,
              "train config: learning rates must be in (0, 10), got " << lr_start << " -> " << lr_end);
  RRCNN_CHECK(lr_decay_steps >= 0, "train config: lr decay steps must not be negative");
  RRCNN_CHECK(clip_norm > 0, "train config: clip norm must be positive");
}

ModelConfig model_preset(const std::string& name) {
  ModelConfig c;
  c.preset = name;
  if (name == "seed") return c;
  if (name == "lite") {
    c.channels = 16;
    c.perception = 16;
    c.hidden = {32, 32};
    c.rollout_steps = 32;
    return c;
  }
  RRCNN_FAIL("unknown config '" << name << "' (named configs: seed, lite; or a FILE.json)");
}

TrainConfig train_preset(const std::string& name) {
  model_preset(name);  // validates the name
  return TrainConfig{};
}

std::vector<std::string> preset_names() { return {"seed", "lite"}; }

std::vector<int> parse_int_list(const std::string& text, const std::string& what) {
  std::vector<int> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t used = 0;
    int v = 0;
    try {
      v = std::stoi(item, &used);
    } catch (...) {
      used = 0;
    }
    RRCNN_CHECK(used == item.size() && !item.empty(),
                what << ": '" << text << "' is not a comma-separated list of integers");
    out.push_back(v);
  }
  RRCNN_CHECK(!out.empty(), what << ": empty list");
  return out;
}

}  // namespace rrcnn
