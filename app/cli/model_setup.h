// What several subcommands share: opening a checkpoint or a preset onto a backend, loading the
// data directory, and printing the chosen backend.
#pragma once

#include <memory>
#include <string>

#include "cli/flags.h"
#include "core/backend.h"
#include "core/checkpoint.h"
#include "core/dataset.h"

namespace rrcnn {

// Declares the flags open_backend reads (--backend, --threads, --precision) under their own
// heading; every model-running command accepts them.
void add_backend_flags(Flags& flags);
// --session FILE of render, eval and train, for their --help: main expands it into the file's
// flags before any parser runs (session/session_file.h), so no command reads it.
void add_session_flag(Flags& flags);

// Applies --threads; creates the backend named by --backend for `config`, printing one line
// to stderr about the choice (and why CUDA was not used, on auto).
std::unique_ptr<Backend> open_backend(const Flags& flags, const ModelConfig& config, bool quiet = false);

// Loads --data DIR (default: the embedded digits).
DataSplit open_data(const Flags& flags);

}  // namespace rrcnn
