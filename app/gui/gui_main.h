// Entry point of the desktop studio, called by app/main.cpp for plain `rrcnn` and `rrcnn gui`.
#pragma once

#include <string>
#include <vector>

namespace rrcnn {

// `args`: everything after `rrcnn gui` (empty for plain `rrcnn`). Returns the process exit code:
// 0, 1 when a scripted run failed, 3 when no window could be opened (no display, OpenGL too
// old). Throws rrcnn::Error for bad flags and for a session that cannot start.
int gui_main(const std::vector<std::string>& args);

}  // namespace rrcnn
