// Parsing of the sample-pool, horizon and damage flags of `rrcnn train`.
#include "cli/train_pool.h"

#include "core/error.h"

namespace rrcnn {

namespace {

// The pool-only flags: an error without --pool N.
constexpr const char* kPoolOnly[] = {"pool-replace", "damage", "damage-radius", "damage-mode", "stroke-length",
                                     "brush-mix", "loss-steps", "loss-spacing", "noise-start", "noise-ramp"};

}  // namespace

void add_pool_flags(Flags& flags) {
  flags.group("persistence and repair (off by default; the reference recipe uses none of them)")
      .integer("pool", "N",
               "keep a pool of N states; each batch continues from pool states\n"
               "(growing-NCA style), so the model learns a stable fixed point",
               0, 1 << 20)
      // K <= the batch, checked once it is known (parse_pool_flags).
      .integer("pool-replace", "K",
               "the K worst samples of each batch start over from fresh noisy\n"
               "digits (default 2)",
               0, 4096)
      .integer("damage", "K",
               "the K best continuing samples of each batch are damaged first\n"
               "(default 0)",
               0, 4096)
      .text("damage-radius", "R|LO..HI", "disc radius in cells, or a range drawn per disc (default 3)")
      .text("damage-mode", "M",
            "erase (all channels zeroed), noise (image channel + N(0, 1)),\n"
            "mixed (half each) or brushes (a third each of erase discs, erase\n"
            "strokes and noise discs: the damage `rrcnn eval --repair` measures)\n"
            "(default erase)")
      .text("stroke-length", "LO..HI",
            "brushes: erase strokes of this many cells at any angle, radius\n"
            "1..2.5 (default 8..20)")
      .text("brush-mix", "E,S,N",
            "brushes: relative weights of erase discs, erase strokes and noise\n"
            "discs (default 1,1,1: a third each)")
      .integer("loss-steps", "K",
               "the loss is the mean image MSE at K steps: the last one and K-1\n"
               "before it (default 1); the rollout is cut at each, so the gradient\n"
               "of each loss reaches back to the previous one only",
               1, 100000)
      .integer("loss-spacing", "S", "steps between those K (default 1)", 1, 100000)
      .number("noise-start", "A", "noise curriculum: fresh digits' noise level is U(0, cap), the cap", 0.0f, 1.0f)
      .integer("noise-ramp", "N",
               "rising from A to 1 over the first N optimiser steps (default off)\n"
               "The pool is saved beside the checkpoint as FILE.pool; --resume reads\n"
               "it back (with the same pool flags) and continues bit for bit, or\n"
               "restarts the pool when it is missing.",
               0, 100000000);
}

bool parse_pool_flags(const Flags& args, int batch, PoolConfig* out) {
  const int size = args.integer("pool", 0);
  if (size == 0) {
    // --horizon without a pool is the model config's rollout length (cli/config_flags.h).
    for (const char* f : kPoolOnly) RRCNN_CHECK(!args.has(f), "rrcnn train: --" << f << " needs --pool N");
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
  if (args.has("brush-mix")) {
    RRCNN_CHECK(pc.damage_mode == DamageMode::kBrushes, "rrcnn train: --brush-mix needs --damage-mode brushes");
    parse_brush_mix(args.str("brush-mix"), "--brush-mix", pc.brush_mix);
  }
  pc.loss_steps = args.integer("loss-steps", pc.loss_steps);
  pc.loss_spacing = args.integer("loss-spacing", pc.loss_spacing);
  pc.noise_start = args.number("noise-start", pc.noise_start);
  pc.noise_ramp = args.integer("noise-ramp", pc.noise_ramp);
  RRCNN_CHECK(!args.has("noise-start") == !args.has("noise-ramp"),
              "rrcnn train: --noise-start and --noise-ramp go together");
  pc.validate(batch);
  *out = pc;
  return true;
}

}  // namespace rrcnn
