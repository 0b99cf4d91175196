// Parsing of the sample-pool, horizon and damage flags of `rrcnn train`.
#include "cli/train_pool.h"

#include "core/error.h"

namespace rrcnn {

const char* const kPoolFlagsHelp =
    "persistence and repair (off by default; the reference recipe uses none of them):\n"
    "  --pool N               keep a pool of N states; each batch continues from pool states\n"
    "                         (growing-NCA style), so the model learns a stable fixed point\n"
    "  --pool-replace K       the K worst samples of each batch start over from fresh noisy\n"
    "                         digits (default 2)\n"
    "  --horizon LO..HI       steps before the loss, drawn per optimiser step (default 64..96\n"
    "                         with --pool)\n"
    "  --damage K             the K best continuing samples of each batch are damaged first\n"
    "                         (default 0)\n"
    "  --damage-radius R|LO..HI  disc radius in cells, or a range drawn per disc (default 3)\n"
    "  --damage-mode M        erase (all channels zeroed), noise (image channel + N(0, 1)),\n"
    "                         mixed (half each) or brushes (a third each of erase discs, erase\n"
    "                         strokes and noise discs: the damage `rrcnn eval --repair` measures)\n"
    "                         (default erase)\n"
    "  --stroke-length LO..HI brushes: erase strokes of this many cells at any angle, radius\n"
    "                         1..2.5 (default 8..20)\n"
    "  --loss-steps K         the loss is the mean image MSE at K steps: the last one and K-1\n"
    "                         before it (default 1); the rollout is cut at each, so the gradient\n"
    "                         of each loss reaches back to the previous one only\n"
    "  --loss-spacing S       steps between those K (default 1)\n"
    "  --noise-start A        noise curriculum: fresh digits' noise level is U(0, cap), the cap\n"
    "  --noise-ramp N         rising from A to 1 over the first N optimiser steps (default off)\n"
    "  The pool is saved beside the checkpoint as FILE.pool; --resume reads it back (with the\n"
    "  same pool flags) and continues bit for bit, or restarts the pool when it is missing.\n";

const std::set<std::string>& pool_flag_names() {
  static const std::set<std::string> names = {"pool", "pool-replace", "horizon", "damage",
                                              "damage-radius", "damage-mode", "stroke-length",
                                              "loss-steps", "loss-spacing", "noise-start", "noise-ramp"};
  return names;
}

bool parse_pool_flags(const Args& args, int batch, PoolConfig* out) {
  const int size = args.integer("pool", 0, 0, 1 << 20);
  if (size == 0) {
    for (const std::string& f : pool_flag_names())
      // --horizon without a pool is the model config's rollout length (cli/config_flags.h).
      RRCNN_CHECK(f == "pool" || f == "horizon" || !args.has(f), "rrcnn train: --" << f << " needs --pool N");
    return false;
  }
  PoolConfig pc;
  pc.pool_size = size;
  pc.replace = args.integer("pool-replace", pc.replace, 0, batch);
  if (args.has("horizon")) parse_range(args.str("horizon"), "--horizon", &pc.horizon_min, &pc.horizon_max);
  pc.damage = args.integer("damage", pc.damage, 0, batch);
  if (args.has("damage-radius")) {
    int lo = 0, hi = 0;
    parse_range(args.str("damage-radius"), "--damage-radius", &lo, &hi);
    RRCNN_CHECK(hi <= 64, "rrcnn train: --damage-radius '" << args.str("damage-radius") << "' must be at most 64");
    pc.damage_radius = hi;
    pc.damage_radius_min = lo == hi ? 0 : lo;
  }
  pc.damage_mode = parse_damage_mode(args.str("damage-mode", "erase"));
  if (args.has("stroke-length"))
    parse_range(args.str("stroke-length"), "--stroke-length", &pc.stroke_length_min, &pc.stroke_length_max);
  pc.loss_steps = args.integer("loss-steps", pc.loss_steps, 1, 100000);
  pc.loss_spacing = args.integer("loss-spacing", pc.loss_spacing, 1, 100000);
  pc.noise_start = args.number("noise-start", pc.noise_start, 0.0f, 1.0f);
  pc.noise_ramp = args.integer("noise-ramp", pc.noise_ramp, 0, 100000000);
  RRCNN_CHECK(!args.has("noise-start") == !args.has("noise-ramp"),
              "rrcnn train: --noise-start and --noise-ramp go together");
  pc.validate(batch);
  *out = pc;
  return true;
}

}  // namespace rrcnn
