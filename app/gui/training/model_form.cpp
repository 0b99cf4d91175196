// The New model dialog's fields (see model_form.h).
#include "gui/training/model_form.h"

#include <cstdlib>
#include <exception>
#include <sstream>
#include <vector>

#include "core/param_layout.h"

namespace rrcnn {
namespace {

// The message of core's check without its "model config: " prefix: the dialog shows fields.
std::string field_problem(const std::exception& e) {
  std::string m = e.what();
  const std::string prefix = "model config: ";
  if (m.rfind(prefix, 0) == 0) m = m.substr(prefix.size());
  return m;
}

std::string with_thousands(size_t n) {
  std::string s = std::to_string(n);
  for (int i = int(s.size()) - 3; i > 0; i -= 3) s.insert(size_t(i), ",");
  return s;
}

}  // namespace

ModelForm ModelForm::from(const ModelConfig& c) {
  ModelForm f;
  f.name = c.preset == "seed" || c.preset == "lite" ? "custom" : c.preset;
  f.channels = c.channels;
  f.perception = c.perception;
  f.hidden = c.hidden_string();
  f.dropout = c.dropout_rate;
  f.step_size = c.step_size;
  f.horizon = c.rollout_steps;
  f.train_perception = c.train_perception;
  return f;
}

bool ModelForm::to_config(int height, int width, ModelConfig* out, std::string* error) const {
  ModelConfig c;
  c.height = height;
  c.width = width;
  std::vector<std::string> problems;
  // Each field alone on an otherwise valid config: every bad one is named, not just the first.
  const auto check = [&](auto set) {
    ModelConfig one;
    one.height = height;
    one.width = width;
    set(one);
    try {
      one.validate();
      set(c);
    } catch (const std::exception& e) {
      problems.push_back(field_problem(e));
    }
  };
  check([&](ModelConfig& m) { m.channels = channels; });
  check([&](ModelConfig& m) { m.perception = perception; });
  try {
    const std::vector<int> h = parse_int_list(hidden, "hidden");
    check([&](ModelConfig& m) { m.hidden = h; });
  } catch (const std::exception& e) {
    problems.push_back(field_problem(e));
  }
  check([&](ModelConfig& m) { m.dropout_rate = dropout; });
  check([&](ModelConfig& m) { m.step_size = step_size; });
  check([&](ModelConfig& m) { m.rollout_steps = horizon; });
  c.train_perception = train_perception;
  c.preset = name.empty() ? "custom" : name;
  if (problems.empty()) {
    try {
      c.validate();  // anything that only fails in combination
    } catch (const std::exception& e) {
      problems.push_back(field_problem(e));
    }
  }
  if (!problems.empty()) {
    std::string line;
    for (const std::string& p : problems) line += (line.empty() ? "" : "; ") + p;
    if (error) *error = line;
    return false;
  }
  *out = c;
  if (error) error->clear();
  return true;
}

bool ModelForm::assign(const std::string& words, std::string* error) {
  std::istringstream in(words);
  std::string w;
  while (in >> w) {
    const size_t eq = w.find('=');
    const std::string key = eq == std::string::npos ? w : w.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : w.substr(eq + 1);
    char* end = nullptr;
    const auto bad = [&](const char* why) {
      if (error) *error = "new model: '" + w + "': " + why;
      return false;
    };
    if (value.empty()) return bad("expected field=value");
    if (key == "name") {
      name = value;
    } else if (key == "hidden") {
      hidden = value;
    } else if (key == "train_perception" || key == "train-perception") {
      if (value != "on" && value != "off" && value != "true" && value != "false")
        return bad("expected on or off");
      train_perception = value == "on" || value == "true";
    } else if (key == "channels" || key == "perception" || key == "horizon") {
      const long v = std::strtol(value.c_str(), &end, 10);
      if (*end) return bad("not an integer");
      (key == "channels" ? channels : key == "perception" ? perception : horizon) = int(v);
    } else if (key == "dropout" || key == "step_size" || key == "step-size") {
      const float v = std::strtof(value.c_str(), &end);
      if (*end) return bad("not a number");
      (key == "dropout" ? dropout : step_size) = v;
    } else {
      return bad("unknown field (channels, perception, hidden, dropout, step_size, horizon, "
                 "train_perception, name)");
    }
  }
  return true;
}

std::string parameter_count_text(const ModelConfig& c) {
  const ParamLayout layout(c);
  return with_thousands(layout.total()) + " parameters (" + with_thousands(layout.trained_count()) +
         " trained" + (c.train_perception ? ", the perception kernel included" : "; the perception kernel is fixed") + ")";
}

}  // namespace rrcnn
