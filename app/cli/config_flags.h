// The model-config flags shared by `rrcnn train` and `rrcnn bench`: a named config or a JSON
// file (--config, --preset as its older name), then any field overridden by its own flag.
#pragma once

#include <set>
#include <string>

#include "cli/args.h"
#include "core/config.h"

namespace rrcnn {

extern const char* const kConfigFlagsHelp;
// The valued flags and switches this file reads, to add to the command's Args. "horizon" is not
// among them: `rrcnn train` shares it with the pool recipe (a range there), see config_from_flags.
const std::set<std::string>& config_flag_names();
const std::set<std::string>& config_switch_names();
// True when any flag that changes the architecture was given (they conflict with --resume).
bool has_architecture_flags(const Args& args);

// --config/--preset (default "seed"), then --channels, --perception, --hidden, --dropout,
// --step-size, --train-perception, and `horizon` when >= 1 (0: keep the config's). A config
// with any field overridden is named "custom" unless a JSON file named it. Throws one line
// naming the flag or field on invalid values.
ModelConfig config_from_flags(const Args& args, const std::string& command, int horizon = 0);

}  // namespace rrcnn
