// `rrcnn render`: a rollout of 8 noisy held-out digits as an animated GIF (noisy | live |
// target), like the reference's final cell, or one frame as PNG.
#include <cstdio>
#include <string>
#include <vector>
#include <filesystem>
#include <memory>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/model_setup.h"
#include "cli/render_extras.h"
#include "cli/render_flags.h"
#include "core/error.h"
#include "core/frames.h"
#include "core/image_io.h"

namespace rrcnn {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

int cmd_render(const std::vector<std::string>& argv) {
  const std::unique_ptr<Flags> parsed = render_flags();
  Flags& args = *parsed;
  if (!args.parse(argv)) {
    std::fputs(args.help().c_str(), stdout);
    return 0;
  }
  check_render_mode(args, false);
  RRCNN_CHECK(args.has("ckpt"), "rrcnn render: --ckpt FILE is required");
  RRCNN_CHECK(args.has("out"), "rrcnn render: --out FILE.gif or FILE.png is required");
  const std::string out = args.str("out");
  const bool gif = ends_with(out, ".gif"), png = ends_with(out, ".png");
  RRCNN_CHECK(gif || png, "rrcnn render: --out " << out << " must end in .gif or .png");
  RenderExtras extras;
  extras.curve_png = args.str("curve", "");
  extras.change_gif = args.str("change", "");
  RRCNN_CHECK(extras.curve_png.empty() || ends_with(extras.curve_png, ".png"),
              "rrcnn render: --curve " << extras.curve_png << " must end in .png");
  RRCNN_CHECK(extras.change_gif.empty() || ends_with(extras.change_gif, ".gif"),
              "rrcnn render: --change " << extras.change_gif << " must end in .gif");
  const Checkpoint ck = load_checkpoint(args.str("ckpt"));
  const int steps = args.integer("steps", 2 * ck.config.rollout_steps);
  const int digits = args.integer("digits", 8);
  const int scale = args.integer("scale", 4);
  const DataSplit data = open_data(args);
  RRCNN_CHECK(data.test.height == ck.config.height && data.test.width == ck.config.width,
              "rrcnn render: the data's digits do not fit the model's grid");
  const int first = args.integer("first", 0, 0, data.test.count() - digits);
  auto backend = open_backend(args, ck.config);
  backend->set_params(ck.params);
  backend->set_live_dropout(args.number("dropout", ck.config.dropout_rate));
  std::vector<int> idx(digits);
  for (int i = 0; i < digits; ++i) idx[i] = first + i;
  const std::vector<float> clean = gather_batch(data.test, idx);
  backend->reset(clean, digits, args.number("alpha", -1.0f), args.u64("seed", 0), 0);
  const std::vector<float> noisy = backend->image();
  const int h = ck.config.height, w = ck.config.width;
  auto frame = [&](const std::vector<float>& live) {
    return compose_rows({noisy.data(), live.data(), clean.data()}, digits, h, w, scale);
  };
  if (png) {
    const int at = args.integer("frame", steps, 0, steps);
    backend->step(at);
    const RgbImage img = frame(backend->image());
    write_png(out, img.width, img.height, img.rgb);
  } else {
    const int every = args.integer("every", 1);
    RgbImage img = frame(noisy);
    GifWriter writer(img.width, img.height, args.integer("delay", 5));
    writer.add_frame(img.rgb);
    for (int t = 1; t <= steps; ++t) {
      backend->step(1);
      if (t % every == 0 || t == steps) writer.add_frame(frame(backend->image()).rgb);
    }
    writer.save(out);
  }
  std::fprintf(stderr, "wrote %s (%d digits, %d steps; rows: noisy, live, target)\n", out.c_str(),
               digits, steps);
  extras.scale = scale;
  extras.delay_cs = args.integer("delay", 5);
  extras.every = args.integer("every", 1);
  extras.title = "MSE after each step: " + std::filesystem::path(args.str("ckpt")).filename().string() +
                 ", " + std::to_string(digits) + " digits";
  render_extras(*backend, clean, digits, args.number("alpha", -1.0f), args.u64("seed", 0), steps,
                extras);
  return 0;
}

}  // namespace rrcnn
