// The New model dialog's fields, apart from the window so they can be tested: the fields of
// `rrcnn train` (channels, perception, hidden list, dropout, step size, horizon, train
// perception, and a name), the config they make, every invalid field named in one line (core's
// own checks, one field at a time), the parameter count, and the same fields as "field=value"
// words for scripts. No window code.
#pragma once

#include <cstddef>
#include <string>

#include "core/config.h"

namespace rrcnn {

struct ModelForm {
  std::string name = "custom";
  int channels = 64, perception = 64;
  std::string hidden = "128,128";
  float dropout = 0.5f, step_size = 1.0f;
  int horizon = 64;
  bool train_perception = false;

  static ModelForm from(const ModelConfig& c);
  // The config on `grid` (height x width of the digits). False with *error one line naming
  // each invalid field ("channels = 0 is out of range 1..4096; hidden: 'a' is not a ...").
  bool to_config(int height, int width, ModelConfig* out, std::string* error) const;
  // "channels=24 perception=20 hidden=40,24 dropout=0.3 step_size=0.5 horizon=48
  // train_perception=on name=wide": sets those fields. False with *error naming the word.
  bool assign(const std::string& words, std::string* error);
};

// The dialog's measured training step of the config being designed (train_probe.h).
struct NewModelTiming {
  std::string config;  // the config (JSON) measured or being measured ("" : none)
  int batch = 0;
  double median = 0, lo = 0, hi = 0;  // seconds per step; 0 while not known
  bool busy = false;
};

// "12,345 parameters (11,000 trained; the perception kernel is fixed)".
std::string parameter_count_text(const ModelConfig& c);

}  // namespace rrcnn
