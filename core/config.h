// Model and training configuration, and the named presets. Values here are the defaults of the
// reference run (../shared/docs/model-spec.md); everything else in core reads sizes from here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rrcnn {

struct ModelConfig {
  int height = 28;
  int width = 28;
  int channels = 64;             // C; the last channel is the image channel
  int perception = 64;           // P
  std::vector<int> hidden = {128, 128};  // K per hidden layer
  int rollout_steps = 64;        // T used in training
  float dropout_rate = 0.5f;     // cell dropout; keep probability is 1 - rate
  float step_size = 1.0f;
  // Perception kernel trained (gradients + Adam) instead of random and frozen as in the
  // reference; learned perception is the common variant in the NCA literature.
  bool train_perception = false;

  int cells() const { return height * width; }
  int image_channel() const { return channels - 1; }
  int num_layers() const { return static_cast<int>(hidden.size()) + 1; }  // MLP layers
  int layer_in(int l) const { return l == 0 ? perception : hidden[l - 1]; }
  int layer_out(int l) const { return l + 1 == num_layers() ? channels : hidden[l]; }
  int max_width() const;  // widest activation of the MLP, for scratch sizing
  std::string preset = "custom";  // the config's name: "seed", "lite", a file's "name", "custom"

  // Throws rrcnn::Error naming the first bad field (the names of the --config JSON fields,
  // which are also the flag names: channels, perception, hidden, dropout, step_size, horizon).
  void validate() const;
  std::string hidden_string() const;  // "128,128"
};

struct TrainConfig {
  int batch = 8;
  int steps = 8192;              // optimiser steps
  float lr_start = 1e-3f;
  float lr_end = 1e-4f;
  int lr_decay_steps = 2000;     // linear from lr_start to lr_end over this many steps
  float clip_norm = 1.0f;        // global L2 norm
  double adam_b1 = 0.9;           // double like optax's Python floats: 1 - b is formed in double
  double adam_b2 = 0.999;
  float adam_eps = 1e-8f;
  uint64_t seed = 0;

  void validate() const;
};

// Named configs: "seed" is the reference configuration; "lite" a small one for quick runs and
// tests. Any other architecture is a ModelConfig built from flags or a JSON file
// (core/config_json.h).
ModelConfig model_preset(const std::string& name);
TrainConfig train_preset(const std::string& name);
std::vector<std::string> preset_names();

// Parses "128,128" into {128, 128}; throws on anything else.
std::vector<int> parse_int_list(const std::string& text, const std::string& what);

}  // namespace rrcnn
