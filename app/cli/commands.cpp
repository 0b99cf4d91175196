// Subcommand dispatch and the top-level help.
#include "cli/commands.h"

#include <cstdio>

#include "core/error.h"

namespace rrcnn {
namespace {

const char* kHelp =
    "RRCNN Studio: train and run a recurrent residual convolutional network (a neural cellular\n"
    "automaton) that denoises MNIST digits.\n"
    "\n"
    "usage: rrcnn [command] [flags]       (no command: open the GUI when built with one;\n"
    "                                     `rrcnn --paused` is `rrcnn gui --paused`)\n"
    "\n"
    "commands:\n"
    "  gui      open the desktop studio (needs a display)\n"
    "  train    train a model:        rrcnn train --preset lite --steps 300 --out lite.safetensors\n"
    "  eval     MSE/PSNR on held-out digits: rrcnn eval --ckpt FILE [--alphas 0.25,0.5,0.75]\n"
    "  render   animated GIF or PNG of a rollout: rrcnn render --ckpt FILE --out run.gif\n"
    "  info     what a checkpoint holds: rrcnn info FILE\n"
    "  bench    throughput as JSON:   rrcnn bench [--backend cpu|cuda]\n"
    "\n"
    "`rrcnn COMMAND --help` lists a command's flags.\n";

}  // namespace

int run_command(const std::vector<std::string>& args, GuiEntry gui) {
  if (args.empty()) {
    if (gui) return gui(args);
    std::fputs(kHelp, stdout);
    std::fputs("\n(this build has no GUI: install libglfw3-dev libimgui-dev python3-glad and rebuild)\n",
               stdout);
    return 0;
  }
  const std::string& cmd = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (cmd == "-h" || cmd == "--help" || cmd == "help") {
    std::fputs(kHelp, stdout);
    return 0;
  }
  if (cmd == "--version" || cmd == "version") {
    std::puts("rrcnn 0.1.0");
    return 0;
  }
  if (cmd == "train") return cmd_train(rest);
  if (cmd == "eval") return cmd_eval(rest);
  if (cmd == "render") return cmd_render(rest);
  if (cmd == "info") return cmd_info(rest);
  if (cmd == "bench") return cmd_bench(rest);
  // Plain `rrcnn` is `rrcnn gui`, so its flags work without the word too (rrcnn --report FILE).
  const bool gui_flags = cmd.size() > 1 && cmd[0] == '-';
  if (cmd == "gui" || gui_flags) {
    RRCNN_CHECK(gui != nullptr, "this build has no GUI (install libglfw3-dev libimgui-dev "
                                "python3-glad and rebuild); the headless commands are train, eval, "
                                "render, info, bench");
    return gui(gui_flags ? args : rest);
  }
  RRCNN_FAIL("unknown command '" << cmd << "' (commands: gui, train, eval, render, info, bench; "
                                 << "see rrcnn --help)");
}

}  // namespace rrcnn
