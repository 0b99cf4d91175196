// `rrcnn gui`: flags, the display check, the window, the session. Without a display it says so
// and names the headless commands instead of crashing inside the windowing library.
#include "gui/gui_main.h"

#include <cstdio>

#include "core/error.h"
#include "gui/options.h"
#include "gui/platform.h"
#include "gui/studio.h"
#include "gui/files/user_files.h"

namespace rrcnn {
namespace {

constexpr int kNoWindowExit = 3;

const char* kHeadlessHint =
    "The headless commands work without a display:\n"
    "  rrcnn train   train a model        rrcnn eval    MSE/PSNR on held-out digits\n"
    "  rrcnn render  rollout as GIF/PNG   rrcnn info    what a checkpoint holds\n"
    "  rrcnn bench   throughput\n"
    "(on a server, `xvfb-run -a rrcnn gui` runs the studio on a virtual display)\n";

}  // namespace

int gui_main(const std::vector<std::string>& args) {
  const GuiOptions opts = parse_gui_options(args);
  if (opts.help) {
    std::fputs(gui_usage().c_str(), stdout);
    return 0;
  }
  const std::string config_dir = user_config_dir(opts.config_dir);
  std::string why;
  const bool have_config_dir = ensure_dir(config_dir, &why);

  PlatformOptions po;
  po.width = opts.width;
  po.height = opts.height;
  po.font_scale = opts.font_scale;
  po.ini_path = have_config_dir ? config_dir + "/imgui.ini" : "";
  po.vsync = opts.frames == 0;  // scripted runs pace themselves
  po.ignore_pointer = !opts.script.empty();
  Platform platform;
  OpenFailure failure = OpenFailure::kNone;
  std::string message;
  if (!platform.open(po, &failure, &message)) {
    std::fprintf(stderr, "rrcnn: %s.\n%s", message.c_str(), kHeadlessHint);
    return kNoWindowExit;
  }
  if (!have_config_dir)
    std::fprintf(stderr, "rrcnn gui: the window layout will not be saved: %s\n", why.c_str());
  int code = 0;
  {
    Studio studio(opts, platform, have_config_dir ? config_dir : "");
    code = studio.run();
  }
  platform.close();
  return code;
}

}  // namespace rrcnn
