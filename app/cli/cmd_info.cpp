// `rrcnn info FILE`: what a checkpoint holds.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/flags.h"
#include "core/checkpoint.h"
#include "core/config_json.h"
#include "core/error.h"
#include "core/param_layout.h"

namespace rrcnn {

int cmd_info(const std::vector<std::string>& argv) {
  Flags args("info", "usage: rrcnn info FILE.safetensors",
             "The config, recipe, optimiser state and every tensor's shape and RMS; the config\n"
             "also as the JSON `rrcnn train --config` reads.");
  args.positionals("FILE", "the checkpoint", 1);
  if (!args.parse(argv)) {
    std::fputs(args.help().c_str(), stdout);
    return 0;
  }
  RRCNN_CHECK(!args.positional().empty(), "rrcnn info: which checkpoint? (rrcnn info FILE)");
  const std::string path = args.positional()[0];
  const Checkpoint ck = load_checkpoint(path);
  const ModelConfig& c = ck.config;
  const ParamLayout layout(c);
  std::printf("%s\n", path.c_str());
  std::printf("  config        %s\n", c.preset.c_str());
  std::printf("  grid          %d x %d x %d channels (image channel %d)\n", c.height, c.width,
              c.channels, c.image_channel());
  std::printf("  perception    3x3 conv, %d outputs (%s)\n", c.perception,
              c.train_perception ? "trained" : "frozen");
  std::printf("  update MLP    %d -> %s -> %d\n", c.perception, c.hidden_string().c_str(), c.channels);
  std::printf("  rollout       %d steps, dropout %g, step size %g\n", c.rollout_steps, c.dropout_rate,
              c.step_size);
  std::printf("  parameters    %zu (%zu trained)\n", layout.total(), layout.trained_count());
  std::printf("  seed          %llu\n", (unsigned long long)ck.seed);
  std::printf("  optimiser     %s, step %lld\n", ck.adam.empty() ? "no Adam state" : "Adam moments",
              (long long)ck.adam.step);
  std::printf("  recipe        %s\n", ck.recipe == "pool" ? "pool (persistent: the studio runs it without end)"
                                                          : ck.recipe.c_str());
  if (!ck.description.empty()) std::printf("  description   %s\n", ck.description.c_str());
  if (!ck.note.empty()) std::printf("  note          %s\n", ck.note.c_str());
  // The whole config as `rrcnn train --config` reads it: save it to a file to train another.
  std::printf("  config json   %s\n", model_config_to_json(c).c_str());
  std::printf("  tensors:\n");
  for (const TensorSpec& t : layout.tensors()) {
    double s2 = 0;
    for (size_t i = 0; i < t.count; ++i) s2 += double(ck.params[t.offset + i]) * ck.params[t.offset + i];
    std::string shape;
    for (size_t d = 0; d < t.shape.size(); ++d) shape += (d ? "x" : "") + std::to_string(t.shape[d]);
    std::printf("    %-26s %-12s rms %.4g%s\n", t.name.c_str(), shape.c_str(), std::sqrt(s2 / t.count),
                t.trained ? "" : "  (frozen)");
  }
  return 0;
}

}  // namespace rrcnn
