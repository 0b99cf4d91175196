// `rrcnn render --script FILE --out run.gif`: a studio --script (a recorded session, or one
// written by hand) replayed without a window. The live-view worker the studio uses (LiveSim)
// runs the actions that change the live state, posted exactly as the studio posts them (steps,
// strokes, resets, new digits, noise, dropout, seed, digits, model and data loads); actions that
// only change the window (view, brush, panels, asserts) are skipped. Same backend and thread
// count as the recording: the same states, bit for bit, and the same GIF frames.
#pragma once

#include <string>
#include <vector>

namespace rrcnn {

// True for `render ... --script FILE ...` (main routes it here instead of cmd_render).
bool is_script_render(const std::vector<std::string>& args);
// args: {"render", flags...}. Prints one JSON line (frames, live step, state hash); returns the
// exit code, throws rrcnn::Error naming the script line that cannot be replayed.
int render_script(const std::vector<std::string>& args);

}  // namespace rrcnn
