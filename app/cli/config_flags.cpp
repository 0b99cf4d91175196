// Parsing of the model-config flags (see config_flags.h).
#include "cli/config_flags.h"

#include "core/config_json.h"
#include "core/error.h"

namespace rrcnn {

void add_config_flags(Flags& flags, bool horizon_range) {
  flags.group("model (the architecture; a checkpoint records all of it)")
      .text("config", "NAME|FILE.json",
            "a named config (seed: the reference, lite: small and quick) or a\n"
            "JSON file with any of the fields name, channels, perception,\n"
            "hidden, dropout, step_size, horizon, train_perception, height,\n"
            "width (default seed; --preset NAME is the same)")
      .text("preset", "NAME", "the older name of --config NAME")
      .integer("channels", "C", "cell channels, the last one the image (seed 64)", 1, 4096)
      .integer("perception", "P", "outputs of the 3x3 perception convolution (seed 64)", 1, 4096)
      .text("hidden", "K1,K2[,..]", "widths of the update MLP's hidden layers, 1 to 8 (seed 128,128)")
      .number("dropout", "R", "cell dropout rate in [0, 1) (seed 0.5)", 0.0f, 0.999f)
      .number("step-size", "S", "residual step size (seed 1)", 1e-6f, 100.0f);
  if (horizon_range)
    flags.text("horizon", "T|LO..HI",
               "rollout steps before the loss (seed 64); with --pool a range LO..HI\n"
               "drawn per optimiser step (default 64..96 with --pool)");
  else
    flags.integer("horizon", "T", "rollout steps before the loss (seed 64)", 1, 100000);
  flags.flag("train-perception", "train the 3x3 perception kernel too (the reference freezes it)");
}

bool has_architecture_flags(const Flags& flags) {
  for (const char* f : {"config", "preset", "channels", "perception", "hidden", "dropout", "step-size",
                        "train-perception"})
    if (flags.has(f)) return true;
  return false;
}

ModelConfig config_from_flags(const Flags& flags, int horizon) {
  const std::string& command = flags.command();
  RRCNN_CHECK(!(flags.has("config") && flags.has("preset")),
              "rrcnn " << command << ": give --config or --preset, not both");
  const std::string base = flags.has("config") ? flags.str("config") : flags.str("preset", "seed");
  ModelConfig c = resolve_model_config(base);
  bool changed = false;
  if (flags.has("channels")) c.channels = flags.integer("channels", 0), changed = true;
  if (flags.has("perception")) c.perception = flags.integer("perception", 0), changed = true;
  if (flags.has("hidden")) {
    c.hidden = parse_int_list(flags.str("hidden"), "rrcnn " + command + ": --hidden");
    changed = true;
  }
  if (flags.has("dropout")) c.dropout_rate = flags.number("dropout", 0), changed = true;
  if (flags.has("step-size")) c.step_size = flags.number("step-size", 1), changed = true;
  if (horizon >= 1) c.rollout_steps = horizon, changed = true;
  if (flags.has("train-perception")) c.train_perception = true, changed = true;
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
