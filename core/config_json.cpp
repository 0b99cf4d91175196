// JSON form of ModelConfig and config resolution by name or file (see config_json.h).
#include "core/config_json.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <utility>

#include "core/error.h"
#include "core/json_io.h"

namespace rrcnn {
namespace {

std::string num(double v) {
  std::ostringstream os;
  os.precision(9);
  os << v;
  return os.str();
}

int int_field(const Json& v, const std::string& what, const std::string& key) {
  double x = 0;
  RRCNN_CHECK(json_number(v, &x) && std::floor(x) == x && std::fabs(x) < 1e9,
              what << ": field '" << key << "' must be an integer");
  return int(x);
}

float float_field(const Json& v, const std::string& what, const std::string& key) {
  double x = 0;
  RRCNN_CHECK(json_number(v, &x) && std::isfinite(x), what << ": field '" << key
                                                          << "' must be a number");
  return float(x);
}

std::string stem(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  std::string s = slash == std::string::npos ? path : path.substr(slash + 1);
  const size_t dot = s.rfind('.');
  return dot == std::string::npos || dot == 0 ? s : s.substr(0, dot);
}

}  // namespace

std::string model_config_to_json(const ModelConfig& c) {
  std::ostringstream os;
  os << "{\"name\": " << json_quote(c.preset) << ", \"height\": " << c.height
     << ", \"width\": " << c.width << ", \"channels\": " << c.channels
     << ", \"perception\": " << c.perception << ", \"hidden\": [";
  for (size_t i = 0; i < c.hidden.size(); ++i) os << (i ? ", " : "") << c.hidden[i];
  os << "], \"dropout\": " << num(c.dropout_rate) << ", \"step_size\": " << num(c.step_size)
     << ", \"horizon\": " << c.rollout_steps
     << ", \"train_perception\": " << (c.train_perception ? "true" : "false") << "}";
  return os.str();
}

ModelConfig model_config_from_json(const std::string& text, const std::string& what,
                                   ModelConfig base) {
  return model_config_from_object(parse_json(text, what), what, std::move(base));
}

ModelConfig model_config_from_object(const Json& root, const std::string& what, ModelConfig base) {
  RRCNN_CHECK(root.is_object(), what << ": a model config must be a JSON object");
  ModelConfig c = std::move(base);
  for (const auto& [key, v] : root.items()) {
    if (key == "name") {
      RRCNN_CHECK(v.is_string() && !v.get_ref<const std::string&>().empty(),
                  what << ": field 'name' must be a non-empty string");
      c.preset = v.get<std::string>();
    } else if (key == "height") {
      c.height = int_field(v, what, key);
    } else if (key == "width") {
      c.width = int_field(v, what, key);
    } else if (key == "channels") {
      c.channels = int_field(v, what, key);
    } else if (key == "perception") {
      c.perception = int_field(v, what, key);
    } else if (key == "hidden") {
      RRCNN_CHECK(v.is_array(), what << ": field 'hidden' must be a list of layer widths, e.g. [96, 64]");
      c.hidden.clear();
      for (const Json& w : v) c.hidden.push_back(int_field(w, what, "hidden"));
    } else if (key == "dropout") {
      c.dropout_rate = float_field(v, what, key);
    } else if (key == "step_size") {
      c.step_size = float_field(v, what, key);
    } else if (key == "horizon") {
      c.rollout_steps = int_field(v, what, key);
    } else if (key == "train_perception") {
      RRCNN_CHECK(v.is_boolean(), what << ": field 'train_perception' must be true or false");
      c.train_perception = v.get<bool>();
    } else {
      RRCNN_FAIL(what << ": unknown field '" << key << "' (fields: name, height, width, channels, "
                      << "perception, hidden, dropout, step_size, horizon, train_perception)");
    }
  }
  try {
    c.validate();
  } catch (const Error& e) {
    RRCNN_FAIL(what << ": " << e.what());
  }
  return c;
}

ModelConfig resolve_model_config(const std::string& name_or_path) {
  const bool is_file = name_or_path.find('/') != std::string::npos ||
                       (name_or_path.size() > 5 &&
                        name_or_path.compare(name_or_path.size() - 5, 5, ".json") == 0);
  if (!is_file) return model_preset(name_or_path);
  std::ifstream in(name_or_path, std::ios::binary);
  RRCNN_CHECK(in.good(), name_or_path << ": cannot open the model config");
  std::ostringstream text;
  text << in.rdbuf();
  ModelConfig base;
  base.preset = stem(name_or_path);
  return model_config_from_json(text.str(), name_or_path, base);
}

std::string describe_model_config(const ModelConfig& c) {
  std::ostringstream os;
  os << "C " << c.channels << ", P " << c.perception << ", hidden " << c.hidden_string()
     << ", dropout " << c.dropout_rate << ", step " << c.step_size << ", horizon "
     << c.rollout_steps;
  if (c.height != 28 || c.width != 28) os << ", grid " << c.height << "x" << c.width;
  if (c.train_perception) os << ", trained perception";
  return os.str();
}

}  // namespace rrcnn
