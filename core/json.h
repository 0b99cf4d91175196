// A small JSON reader and string escaper, enough for safetensors headers, scripts and logs.
// Not a general-purpose library: numbers are doubles, objects keep insertion order.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rrcnn {

struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<JsonValue> array;
  std::vector<std::pair<std::string, JsonValue>> object;

  const JsonValue* get(const std::string& key) const;  // nullptr when absent / not an object
  bool is_object() const { return kind == Kind::kObject; }
  bool is_array() const { return kind == Kind::kArray; }
  bool is_string() const { return kind == Kind::kString; }
  bool is_number() const { return kind == Kind::kNumber; }
};

// Throws rrcnn::Error "<what>: invalid JSON at byte N: <problem>".
JsonValue parse_json(const std::string& text, const std::string& what);

// "text" with quotes, backslashes and control characters escaped.
std::string json_quote(const std::string& text);

}  // namespace rrcnn
