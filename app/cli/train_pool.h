// `rrcnn train`'s flags for persistence and repair training (core/pool_trainer.h): parsed here so
// the command itself only asks whether a pool is on.
#pragma once

#include <set>
#include <string>

#include "cli/args.h"
#include "core/pool_trainer.h"

namespace rrcnn {

extern const char* const kPoolFlagsHelp;
// The valued flags this file reads, to add to the command's Args.
const std::set<std::string>& pool_flag_names();
// True when --pool N (N > 0) was given; fills `out` from the flags (defaults otherwise).
// Throws on a malformed value or on pool-only flags given without --pool.
bool parse_pool_flags(const Args& args, int batch, PoolConfig* out);

}  // namespace rrcnn
