// A model config as JSON (`rrcnn train --config FILE.json`, checkpoint metadata, `rrcnn info`)
// and the one place a config is resolved from a name or a file. The fields are the flag names of
// `rrcnn train`: name, height, width, channels, perception, hidden, dropout, step_size, horizon,
// train_perception. Absent fields keep the base config's value (the seed config by default).
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/config.h"

namespace rrcnn {

// The config as one JSON object with every field, in the order above.
std::string model_config_to_json(const ModelConfig& c);

// Applies the fields of a JSON object to `base` and validates the result. `what` names the
// source in errors ("cfg.json"): unknown fields, wrong types and invalid values each give one
// line naming the field.
ModelConfig model_config_from_json(const std::string& text, const std::string& what,
                                   ModelConfig base = ModelConfig{});
// The same for an object already parsed (core/json_io.h's Json), e.g. the "config" of a
// training log's run line: the bytes are not parsed a second time. (Named apart from the text
// form so that a string literal is never taken for a JSON value.)
ModelConfig model_config_from_object(const nlohmann::ordered_json& root, const std::string& what,
                                   ModelConfig base = ModelConfig{});

// A named config ("seed", "lite") or a path to a JSON file (anything with a '/' or ending in
// ".json"). A file without "name" is named after the file ("configs/wide.json" -> "wide").
ModelConfig resolve_model_config(const std::string& name_or_path);

// One line: "C 48, P 40, hidden 100,72, dropout 0.5, step 1, horizon 64[, trained perception]".
std::string describe_model_config(const ModelConfig& c);

}  // namespace rrcnn
