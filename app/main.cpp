// Entry point: dispatches subcommands; one try/catch turns any error into one line on stderr
// and a non-zero exit. RRCNN_DEBUG=1 adds the source location of the error to that line.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/blas_runtime.h"
#include "core/error.h"
#include "session/session_file.h"

#ifdef RRCNN_HAVE_GUI
#include "gui/gui_main.h"
#include "session/script_replay.h"
#endif

int main(int argc, char** argv) {
  // Only `rrcnn bench` goes through the BLAS (its fp32 peak); the backends use their own
  // kernels, so no other command pays for a second start of the process.
  if (argc > 1 && std::strcmp(argv[1], "bench") == 0) rrcnn::select_blas_kernels(argc, argv);
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    // `--session FILE` becomes the file's flags at its place (session_file.h), before any parser.
    args = rrcnn::expand_session_args(args);
#ifdef RRCNN_HAVE_GUI
    // `rrcnn render --script FILE`: a recorded studio session, replayed without a window.
    if (rrcnn::is_script_render(args)) return rrcnn::render_script(args);
    return rrcnn::run_command(args, &rrcnn::gui_main);
#else
    return rrcnn::run_command(args, nullptr);
#endif
  } catch (const rrcnn::Error& e) {
    const char* debug = std::getenv("RRCNN_DEBUG");
    if (debug && *debug && std::strcmp(debug, "0") != 0 && !e.where().empty())
      std::fprintf(stderr, "rrcnn: error: %s [%s]\n", e.what(), e.where().c_str());
    else
      std::fprintf(stderr, "rrcnn: error: %s\n", e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "rrcnn: error: out of memory (try a smaller --batch)\n");
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rrcnn: internal error: %s\n", e.what());
    return 2;
  }
}
