// JSON for every file the project reads or writes (safetensors headers, model configs, training
// logs, reports), through nlohmann-json. What this adds to the library is what a reader of
// hostile files needs: a nesting limit, duplicate keys refused, and one error line naming the
// file, the byte and the problem. Writers that format their own numbers quote strings here.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

static_assert(NLOHMANN_JSON_VERSION_MAJOR > 3 ||
                  (NLOHMANN_JSON_VERSION_MAJOR == 3 && NLOHMANN_JSON_VERSION_MINOR >= 10),
              "nlohmann-json 3.10 or newer is needed (Debian 12: nlohmann-json3-dev)");

namespace rrcnn {

// Objects keep the order of the file (tensors of a safetensors header, fields of a config).
using Json = nlohmann::ordered_json;

// Containers nest at most this deep in what parse_json accepts (the files we read nest 3 deep).
constexpr int kJsonMaxDepth = 64;

// The JSON value of `text`, or rrcnn::Error "<what>: invalid JSON at byte N: <problem>" (N is
// the 0-based offset where the problem was found). Refused besides bad syntax: nesting deeper
// than max_depth, a key twice in one object, strings that are not UTF-8, numbers out of range.
Json parse_json(std::string_view text, const std::string& what, int max_depth = kJsonMaxDepth);

// `text` as a JSON string literal with its quotes. Bytes that are not UTF-8 become U+FFFD, so the
// result is always valid JSON (a path on Linux may hold any bytes).
std::string json_quote(std::string_view text);

// `value` serialised compactly ({"a":1}), or with `indent` spaces per level; invalid UTF-8 in
// strings becomes U+FFFD instead of throwing.
std::string json_dump(const Json& value, int indent = -1);

// The member `key` of an object, or nullptr when `value` is no object or lacks it.
const Json* json_find(const Json& value, std::string_view key);

// Whether `value` is a number (integer or not); if so, *out is its value as a double.
bool json_number(const Json& value, double* out);

}  // namespace rrcnn
