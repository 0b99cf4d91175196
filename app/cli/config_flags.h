// The model-config flags shared by `rrcnn train` and `rrcnn bench`: a named config or a JSON
// file (--config, --preset as its older name), then any field overridden by its own flag.
#pragma once

#include <string>

#include "cli/flags.h"
#include "core/config.h"

namespace rrcnn {

// Declares the flags this file reads, under their own heading. --horizon is the config's
// rollout length T; with `horizon_range` (rrcnn train, whose --pool draws it per step) it may
// also be a range LO..HI, and the command reads it (see config_from_flags).
void add_config_flags(Flags& flags, bool horizon_range);
// True when any flag that changes the architecture was given (they conflict with --resume).
bool has_architecture_flags(const Flags& flags);

// --config/--preset (default "seed"), then --channels, --perception, --hidden, --dropout,
// --step-size, --train-perception, and `horizon` when >= 1 (0: keep the config's). A config
// with any field overridden is named "custom" unless a JSON file named it. Throws one line
// naming the flag or field on invalid values.
ModelConfig config_from_flags(const Flags& flags, int horizon = 0);

}  // namespace rrcnn
