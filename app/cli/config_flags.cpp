// Parsing of the model-config flags (see config_flags.h).
#include "cli/config_flags.h"

#include "core/config_json.h"
#include "core/error.h"

namespace rrcnn {

const char* const kConfigFlagsHelp =
    "model (the architecture; a checkpoint records all of it):\n"
    "  --config NAME|FILE.json  a named config (seed: the reference, lite: small and quick) or a\n"
    "                         JSON file with any of the fields name, channels, perception,\n"
    "                         hidden, dropout, step_size, horizon, train_perception, height,\n"
    "                         width (default seed; --preset NAME is the same)\n"
    "  --channels C           cell channels, the last one the image (seed 64)\n"
    "  --perception P         outputs of the 3x3 perception convolution (seed 64)\n"
    "  --hidden K1,K2[,..]    widths of the update MLP's hidden layers, 1 to 8 (seed 128,128)\n"
    "  --dropout R            cell dropout rate in [0, 1) (seed 0.5)\n"
    "  --step-size S          residual step size (seed 1)\n"
    "  --horizon T            rollout steps before the loss (seed 64; with --pool a range LO..HI)\n"
    "  --train-perception     train the 3x3 perception kernel too (the reference freezes it)\n";

const std::set<std::string>& config_flag_names() {
  static const std::set<std::string> names = {"config", "preset", "channels", "perception",
                                              "hidden", "dropout", "step-size"};
  return names;
}

const std::set<std::string>& config_switch_names() {
  static const std::set<std::string> names = {"train-perception"};
  return names;
}

bool has_architecture_flags(const Args& args) {
  for (const std::string& f : config_flag_names())
    if (args.has(f)) return true;
  return args.has("train-perception");
}

ModelConfig config_from_flags(const Args& args, const std::string& command, int horizon) {
  RRCNN_CHECK(!(args.has("config") && args.has("preset")),
              "rrcnn " << command << ": give --config or --preset, not both");
  const std::string base = args.has("config") ? args.str("config") : args.str("preset", "seed");
  ModelConfig c = resolve_model_config(base);
  bool changed = false;
  if (args.has("channels")) c.channels = args.integer("channels", 0, 1, 4096), changed = true;
  if (args.has("perception")) c.perception = args.integer("perception", 0, 1, 4096), changed = true;
  if (args.has("hidden")) {
    c.hidden = parse_int_list(args.str("hidden"), "rrcnn " + command + ": --hidden");
    changed = true;
  }
  if (args.has("dropout")) c.dropout_rate = args.number("dropout", 0, 0.0f, 0.999f), changed = true;
  if (args.has("step-size")) c.step_size = args.number("step-size", 1, 1e-6f, 100.0f), changed = true;
  if (horizon >= 1) c.rollout_steps = horizon, changed = true;
  if (args.has("train-perception")) c.train_perception = true, changed = true;
  // A file names its own config; a named config that was changed is no longer that config.
  if (changed && (c.preset == "seed" || c.preset == "lite")) c.preset = "custom";
  try {
    c.validate();
  } catch (const Error& e) {
    RRCNN_FAIL("rrcnn " << command << ": " << e.what());
  }
  return c;
}

}  // namespace rrcnn
