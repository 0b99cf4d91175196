// `rrcnn render`'s flags, declared once for both of its modes, so `rrcnn render --help` lists
// every flag the command takes: a rollout of held-out digits (cmd_render.cpp), and with
// --script FILE a studio script replayed without a window (session/script_replay.cpp, built
// with the GUI; main routes `render ... --script` there).
#pragma once

#include <memory>

#include "cli/flags.h"

namespace rrcnn {

// The parser of `rrcnn render` with its usage lines and every flag of both modes.
std::unique_ptr<Flags> render_flags();

// Refuses, in one line, a flag given that the chosen mode does not take: a rollout flag with
// --script (`rrcnn render --script: --steps does not apply to a script replay`) or a replay flag
// without it (`rrcnn render: --report needs --script FILE`).
void check_render_mode(const Flags& f, bool script);

}  // namespace rrcnn
