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
    "  --damage-radius R      disc radius in cells (default 3)\n"
    "  --damage-mode M        erase (all channels zeroed), noise (image channel re-noised) or\n"
    "                         mixed (default erase)\n"
    "  The pool is saved beside the checkpoint as FILE.pool; --resume reads it back (with the\n"
    "  same pool flags) and continues bit for bit, or restarts the pool when it is missing.\n";

const std::set<std::string>& pool_flag_names() {
  static const std::set<std::string> names = {"pool", "pool-replace", "horizon", "damage",
                                              "damage-radius", "damage-mode"};
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
  pc.damage_radius = args.integer("damage-radius", pc.damage_radius, 1, 64);
  pc.damage_mode = parse_damage_mode(args.str("damage-mode", "erase"));
  pc.validate(batch);
  *out = pc;
  return true;
}

}  // namespace rrcnn
