// What several subcommands share: opening a checkpoint or a preset onto a backend, loading the
// data directory, and printing the chosen backend.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "cli/args.h"
#include "core/backend.h"
#include "core/checkpoint.h"
#include "core/dataset.h"

namespace rrcnn {

// Flags every model-running command accepts.
inline const char* kBackendFlagsHelp =
    "  --backend auto|cpu|cuda   compute backend (default auto: CUDA when a GPU is present)\n"
    "  --threads N               CPU threads (default: all cores)\n"
    "  --precision fp32|bf16     CPU arithmetic (default fp32; bf16: bf16 products with fp32\n"
    "                            sums on processors with AVX512_BF16, CPU backend only)\n";
// The valued flags open_backend reads, for each command's Args.
const std::set<std::string>& backend_flag_names();

// Applies --threads; creates the backend named by --backend for `config`, printing one line
// to stderr about the choice (and why CUDA was not used, on auto).
std::unique_ptr<Backend> open_backend(const Args& args, const ModelConfig& config, bool quiet = false);

// Loads --data DIR (default: the embedded digits).
DataSplit open_data(const Args& args);

}  // namespace rrcnn
