// `rrcnn train`'s flags for persistence and repair training (core/pool_trainer.h): parsed here so
// the command itself only asks whether a pool is on.
#pragma once


#include "cli/flags.h"
#include "core/pool_trainer.h"

namespace rrcnn {

// Declares the flags this file reads under their own heading (--horizon is among the model's:
// cli/config_flags.h; with --pool, parse_pool_flags reads it as a range).
void add_pool_flags(Flags& flags);
// True when --pool N (N > 0) was given; fills `out` from the flags (defaults otherwise).
// Throws on a malformed value or on pool-only flags given without --pool.
bool parse_pool_flags(const Flags& args, int batch, PoolConfig* out);

}  // namespace rrcnn
