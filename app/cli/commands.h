// The headless subcommands of `rrcnn`. Each takes the arguments after its name and returns the
// exit code; errors are thrown as rrcnn::Error and printed by main.
#pragma once

#include <string>
#include <vector>

namespace rrcnn {

using GuiEntry = int (*)(const std::vector<std::string>& args);

// Dispatches `rrcnn <command> ...`. `gui` is null when the build has no GUI.
int run_command(const std::vector<std::string>& args, GuiEntry gui);

int cmd_train(const std::vector<std::string>& args);
int cmd_eval(const std::vector<std::string>& args);
int cmd_render(const std::vector<std::string>& args);
int cmd_info(const std::vector<std::string>& args);
int cmd_bench(const std::vector<std::string>& args);

}  // namespace rrcnn
