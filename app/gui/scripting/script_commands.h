// What a script's actions stand for (script.h): the commands they emit, the same ones the panels
// emit, and the studio state an `assert` compares. Used by script_runner.cpp; no window code.
#pragma once

#include <cstdint>
#include <string>

#include "gui/commands.h"
#include "gui/scripting/script.h"
#include "gui/studio_state.h"

namespace rrcnn {

// The live view's actions (playback, noise, brush, pointer): true and *c set when `a` is one.
// `serial` numbers brush strokes.
bool live_action_command(const ScriptAction& a, const StudioState& s, uint32_t serial,
                         Command* c);
// The rest (view, windows, training, models, files, keys): true and *c set when `a` is one. A
// `model` action naming no shipped model leaves c->path empty.
bool studio_action_command(const ScriptAction& a, const StudioState& s, Command* c);

// What `assert WHAT ...` compares, as text ("true", "paused", "endless", the model's path...).
std::string observed(const StudioState& s, const std::string& what);

}  // namespace rrcnn
