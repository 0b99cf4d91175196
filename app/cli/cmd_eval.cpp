// `rrcnn eval`: MSE and PSNR on held-out digits per noise level, next to the noisy input's own;
// with --baselines, --persistence, --repair or --per-step, the longer evaluations of
// docs/quality.md (eval_*.cpp), printed as tables or as one JSON object. Several checkpoints
// (--ckpt A,B,.. or positional) run on the same noisy digits and print side by side.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/eval_parts.h"
#include "cli/model_setup.h"
#include "core/config_json.h"
#include "core/error.h"
#include "core/json_io.h"
#include "core/mc_dropout.h"
#include "core/metrics.h"

namespace rrcnn {
namespace {

// Every flag of `rrcnn eval`, in the order --help lists them.
void declare_eval_flags(Flags& f) {
  f.positionals("FILE [FILE..]", "checkpoints to evaluate, after any of --ckpt", 64)
      .text("ckpt", "FILE[,FILE..]", "checkpoints to evaluate")
      .numbers("alphas", "A,B,...", "noise levels to test (default 0.25,0.5,0.75; -1 = random per digit)")
      .integer("steps", "N", "rollout steps (default: the model's training horizon; --per-step: 2x)", 1, 100000)
      .integer("count", "N", "held-out digits to use (default 200; 1000 = the whole held-out split)", 1, 1000000)
      .integer("batch", "B", "digits per rollout (default 100; the noise draws depend on it)", 1, 4096)
      .number("dropout", "R",
              "cell dropout while running (default: the model's rate, as the\n"
              "original runs it; 0 for deterministic inference)",
              0.0f, 0.99f)
      .u64("seed", "S", "noise seed (default 1234)")
      .text("data", "DIR", "IDX digits (default: the embedded MNIST subset)")
      .flag("json", "print JSON instead of a table");
  add_session_flag(f);
  f.group("longer evaluations (any combination; replaces the plain table)")
      .flag("baselines",
            "the model at 1x and 2x its horizon, dropout on and off, next to the\n"
            "noisy input, the mean training digit, a Gaussian blur and a median\n"
            "filter, at noise 0.25, 0.5, 0.75 and random; mean and 95% interval")
      .integer("tune-count", "N",
               "training digits that choose the blur sigma and median window per\n"
               "level (default 1000; never the held-out targets)",
               1, 1000000)
      .flag("persistence", "PSNR after each of --at steps of one rollout, diverged digits counted")
      .numbers("at", "S1,S2,...", "steps for --persistence (default 64,256,1024)")
      .flag("repair",
            "damage each digit at --damage-step with the studio's brushes, run on,\n"
            "and compare the damaged region with the same rollout left undamaged:\n"
            "the share of the region's lost PSNR won back at each --recover-steps,\n"
            "and the whole image's PSNR change. Damage is centred on the ink pixel\n"
            "(>= 0.5) of the clean digit nearest its centre of mass; strokes run\n"
            "along x. Kinds (JSON keys under repair.kinds):\n"
            "  erase_r3, erase_r6  erase discs of radius 3 and 6 (all channels zeroed)\n"
            "  erase_stroke        the default erase brush (radius 1.5), 16 cells long\n"
            "  noise_r4            noise brush disc of radius 4: image + N(0, 1)\n"
            "  ink_stroke          the draw brush, radius 1.5, 16 cells long (signal\n"
            "                      a user adds: reported, no target)")
      .text("kinds", "K1,K2,...", "damage kinds to measure (default all)")
      .integer("damage-step", "N", "step of the damage (default: the training horizon)", 0, 1000000)
      .numbers("recover-steps", "A,B", "steps after it to score (default: 1x and 4x the horizon, 64,256)")
      .text("picture", "FILE.png",
            "with --repair: draw the first 8 held-out digits through one rollout,\n"
            "damaged by the first of --kinds at --damage-step and left running to\n"
            "the last --at step")
      .number("alpha", "A", "noise level of --persistence and --repair (default 0.5)", 0.0f, 1.0f)
      .flag("per-step",
            "mean MSE after every step 0..--steps at each of --alphas (JSON for\n"
            "the error-versus-step plot)")
      .integer("mc", "K",
               "K rollouts per digit with different dropout masks (K <= 32) at each\n"
               "of --alphas: single-rollout MSE, the MSE of the K-mean image and the\n"
               "correlation of the per-pixel std with the error (costs K rollouts)",
               1, kMaxMcRollouts);
  f.group("other programs' denoisers by this protocol (no --ckpt needed)")
      .text("dump-noisy", "FILE",
            "write the held-out digits (\"clean\") and the noisy inputs every model\n"
            "sees (\"noisy/0.25\", ...) as safetensors (N, H, W); --alphas,\n"
            "--count, --batch, --seed and --data as above")
      .text("score", "FILE",
            "score a safetensors file of outputs for them (\"denoised/0.25\", ...;\n"
            "metadata \"method\" names it) like --baselines scores ours")
      .help_column(21);
  add_backend_flags(f);
}

struct Row {
  float alpha;
  double noisy_mse, out_mse;
};

std::vector<int> parse_steps(const Flags& args, const std::string& flag, const std::vector<float>& fallback) {
  std::vector<int> out;
  for (float v : args.numbers(flag, fallback)) {
    RRCNN_CHECK(v >= 1 && v <= 1000000 && v == float(int(v)),
                "rrcnn eval: --" << flag << " " << v << " is not a whole number of steps >= 1");
    RRCNN_CHECK(out.empty() || int(v) > out.back(), "rrcnn eval: --" << flag << " steps must increase");
    out.push_back(int(v));
  }
  return out;
}

// The plain eval's numbers: one rollout per level, model against noisy input.
std::vector<Row> plain_rows(const EvalContext& ctx, const std::vector<float>& alphas, int steps) {
  std::vector<Row> rows;
  for (float alpha : alphas) {
    Row row{alpha, 0, 0};
    for_each_test_batch(ctx, [&](int start, int b, const std::vector<float>& clean) {
      start_rollout(ctx, clean, b, alpha, start, ctx.dropout);
      const std::vector<float> noisy = ctx.backend.image();
      ctx.backend.step(steps);
      const std::vector<float> out = ctx.backend.image();
      row.noisy_mse += clipped_mse(noisy.data(), clean.data(), clean.size()) * b;
      row.out_mse += clipped_mse(out.data(), clean.data(), clean.size()) * b;
    });
    row.noisy_mse /= ctx.count;
    row.out_mse /= ctx.count;
    rows.push_back(row);
  }
  return rows;
}

void print_plain(const EvalContext& ctx, const std::vector<Row>& rows, int steps, bool json,
                 const std::string& ckpt_path) {
  if (json) {
    std::printf("{\"checkpoint\":%s,\"digits\":%d,\"steps\":%d,\"dropout\":%g,\"levels\":[",
                json_quote(ckpt_path).c_str(), ctx.count, steps, ctx.dropout);
    for (size_t i = 0; i < rows.size(); ++i)
      std::printf("%s{\"alpha\":%s,\"noisy_mse\":%.6g,\"noisy_psnr\":%.4f,\"mse\":%.6g,\"psnr\":%.4f}",
                  i ? "," : "", level_json(rows[i].alpha).c_str(), rows[i].noisy_mse,
                  psnr_from_mse(rows[i].noisy_mse), rows[i].out_mse, psnr_from_mse(rows[i].out_mse));
    std::printf("]}\n");
    return;
  }
  std::printf("%d held-out digits, %d steps, dropout %g\n", ctx.count, steps, ctx.dropout);
  std::printf("alpha   noisy MSE  noisy PSNR   model MSE  model PSNR   gain\n");
  for (const Row& r : rows)
    std::printf("%-6s %10.5f  %7.2f dB  %10.5f  %7.2f dB  %+5.2f dB\n", level_label(r.alpha).c_str(),
                r.noisy_mse, psnr_from_mse(r.noisy_mse), r.out_mse, psnr_from_mse(r.out_mse),
                psnr_from_mse(r.out_mse) - psnr_from_mse(r.noisy_mse));
}

// One evaluated checkpoint of a side-by-side comparison.
struct Column {
  std::string path;
  Checkpoint ck;
  int steps = 0;
  float dropout = 0;
  int count = 0;
  std::vector<Row> rows;
};

// "config name: C 64, P 64, hidden 128,128, ...; recipe seed, optimiser step 8192"
std::string column_label(const Column& col) {
  std::ostringstream os;
  os << col.ck.config.preset << " [" << describe_model_config(col.ck.config) << "], recipe "
     << col.ck.recipe << ", optimiser step " << (col.ck.adam.empty() ? std::string("?") : std::to_string(col.ck.adam.step))
     << ", " << col.steps << " steps, dropout " << col.dropout;
  return os.str();
}

// The same noisy digits (same seed, batch and levels) through every checkpoint, one column each:
// the noisy input's PSNR once, then each model's PSNR and gain.
void print_side_by_side(const std::vector<Column>& cols, int count, bool json) {
  if (json) {
    std::printf("{\"digits\":%d,\"checkpoints\":[", count);
    for (size_t k = 0; k < cols.size(); ++k)
      std::printf("%s{\"checkpoint\":%s,\"config\":%s,\"recipe\":%s,\"steps\":%d,\"dropout\":%g}",
                  k ? "," : "", json_quote(cols[k].path).c_str(),
                  model_config_to_json(cols[k].ck.config).c_str(), json_quote(cols[k].ck.recipe).c_str(),
                  cols[k].steps, cols[k].dropout);
    std::printf("],\"levels\":[");
    for (size_t i = 0; i < cols[0].rows.size(); ++i) {
      const Row& r0 = cols[0].rows[i];
      std::printf("%s{\"alpha\":%s,\"noisy_mse\":%.6g,\"noisy_psnr\":%.4f,\"models\":[", i ? "," : "",
                  level_json(r0.alpha).c_str(), r0.noisy_mse, psnr_from_mse(r0.noisy_mse));
      for (size_t k = 0; k < cols.size(); ++k)
        std::printf("%s{\"mse\":%.6g,\"psnr\":%.4f}", k ? "," : "", cols[k].rows[i].out_mse,
                    psnr_from_mse(cols[k].rows[i].out_mse));
      std::printf("]}");
    }
    std::printf("]}\n");
    return;
  }
  std::printf("%d held-out digits, the same noisy inputs for every model (PSNR in dB, gain over the noisy input)\n", count);
  for (size_t k = 0; k < cols.size(); ++k)
    std::printf("  [%zu] %s\n      %s\n", k + 1, cols[k].path.c_str(), column_label(cols[k]).c_str());
  std::printf("alpha   noisy PSNR");
  for (size_t k = 0; k < cols.size(); ++k) std::printf("   [%zu] PSNR    gain", k + 1);
  std::printf("\n");
  for (size_t i = 0; i < cols[0].rows.size(); ++i) {
    const Row& r0 = cols[0].rows[i];
    const double noisy = psnr_from_mse(r0.noisy_mse);
    std::printf("%-6s %8.2f   ", level_label(r0.alpha).c_str(), noisy);
    for (const Column& col : cols) {
      const double p = psnr_from_mse(col.rows[i].out_mse);
      std::printf("  %8.2f  %+6.2f", p, p - noisy);
    }
    std::printf("\n");
  }
}

int eval_single(const Flags& args, const std::string& ckpt_path, Column* collect);

}  // namespace

int cmd_eval(const std::vector<std::string>& argv) {
  Flags args("eval", "usage: rrcnn eval --ckpt FILE[,FILE..] [flags]   or   rrcnn eval [flags] FILE [FILE..]",
             "Several checkpoints are compared side by side on the same noisy digits (one column each,\n"
             "labelled with its config and recipe; the longer evaluations print one after another).\n"
             "Held-out digits are the first --count of the test split; every method and every run sees\n"
             "the same noise draws (from --seed). PSNR is that of the mean MSE over the digits.");
  declare_eval_flags(args);
  if (!args.parse(argv)) {
    std::fputs(args.help().c_str(), stdout);
    return 0;
  }
  // Other programs' denoisers by the same protocol: no checkpoint involved.
  if (args.has("dump-noisy") || args.has("score")) {
    const std::vector<float> alphas = args.numbers("alphas", {0.25f, 0.5f, 0.75f});
    for (float a : alphas)
      RRCNN_CHECK((a >= 0 && a <= 1) || a == kRandomAlpha,
                  "rrcnn eval: noise level " << a << " is outside [0, 1] (-1 = random per digit)");
    RRCNN_CHECK(args.positional().empty(), "rrcnn eval: --dump-noisy and --score need no checkpoint (they concern other programs)");
    RRCNN_CHECK(!args.has("ckpt"), "rrcnn eval: --dump-noisy and --score need no --ckpt (they concern other programs)");
    RRCNN_CHECK(!(args.has("dump-noisy") && args.has("score")), "rrcnn eval: --dump-noisy and --score are separate runs");
    const DataSplit data = open_data(args);
    const int count = std::min(args.integer("count", 200), data.test.count());
    const int batch = args.integer("batch", 100);
    const uint64_t seed = args.u64("seed", 1234);
    const EvalReport r = args.has("dump-noisy") ? dump_noisy(data, count, batch, seed, alphas, args.str("dump-noisy"))
                                                : score_outputs(data, count, batch, seed, alphas, args.str("score"));
    if (args.has("json"))
      std::printf("{\"data\":%s,\"digits\":%d,\"batch\":%d,\"seed\":%llu,\"%s\":%s}\n",
                  json_quote(data.test.source).c_str(), count, batch, (unsigned long long)seed,
                  args.has("dump-noisy") ? "dump_noisy" : "external", r.json.c_str());
    else
      std::fputs(r.table.c_str(), stdout);
    return 0;
  }
  // Checkpoints: --ckpt A[,B..] and any positional ones, in that order.
  std::vector<std::string> paths;
  if (args.has("ckpt")) {
    std::stringstream list(args.str("ckpt"));
    for (std::string p; std::getline(list, p, ',');) {
      RRCNN_CHECK(!p.empty(), "rrcnn eval: --ckpt '" << args.str("ckpt") << "' has an empty entry");
      paths.push_back(p);
    }
  }
  paths.insert(paths.end(), args.positional().begin(), args.positional().end());
  RRCNN_CHECK(!paths.empty(), "rrcnn eval: which checkpoint? (--ckpt FILE, or FILE [FILE..])");
  if (paths.size() == 1) return eval_single(args, paths[0], nullptr);
  const bool longer = args.has("baselines") || args.has("persistence") || args.has("repair") ||
                      args.has("per-step") || args.has("mc");
  RRCNN_CHECK(!args.has("picture"), "rrcnn eval: --picture draws one checkpoint; give only one");
  if (longer) {
    // The longer evaluations print one checkpoint after another (JSON: one object per line).
    for (const std::string& p : paths) {
      if (!args.has("json")) std::printf("== %s\n", p.c_str());
      eval_single(args, p, nullptr);
    }
    return 0;
  }
  std::vector<Column> cols(paths.size());
  for (size_t k = 0; k < paths.size(); ++k) eval_single(args, paths[k], &cols[k]);
  print_side_by_side(cols, cols[0].count, args.has("json"));
  return 0;
}

namespace {

// One checkpoint: the plain table or the longer parts, printed; or, with `collect`, the plain
// rows kept for a side-by-side table.
int eval_single(const Flags& args, const std::string& ckpt_path, Column* collect) {
  const Checkpoint ck = load_checkpoint(ckpt_path);
  const std::vector<float> alphas = args.numbers("alphas", {0.25f, 0.5f, 0.75f});
  for (float a : alphas)
    RRCNN_CHECK((a >= 0 && a <= 1) || a == kRandomAlpha,
                "rrcnn eval: noise level " << a << " is outside [0, 1] (-1 = random per digit)");
  const bool per_step = args.has("per-step");
  const int horizon = ck.config.rollout_steps;
  const int steps = args.integer("steps", per_step ? 2 * horizon : horizon);
  // Flags of the longer parts, parsed before any work so a typo fails at once.
  const int tune_count = args.integer("tune-count", 1000);
  const std::vector<int> at = parse_steps(args, "at", {64, 256, 1024});
  const std::vector<const RepairKind*> kinds = parse_repair_kinds(args.str("kinds", "all"));
  const int damage_step = args.integer("damage-step", horizon);
  const std::vector<int> recover_at = parse_steps(args, "recover-steps", {float(horizon), float(4 * horizon)});
  const float level = args.number("alpha", 0.5f);
  const int mc = args.integer("mc", 0);
  RRCNN_CHECK(!args.has("picture") || args.has("repair"), "rrcnn eval: --picture draws the repair test; add --repair");
  const DataSplit data = open_data(args);
  RRCNN_CHECK(data.test.height == ck.config.height && data.test.width == ck.config.width,
              "rrcnn eval: the data's digits do not fit the model's grid");
  const bool json = args.has("json");
  auto backend = open_backend(args, ck.config, json);
  backend->set_params(ck.params);
  EvalContext ctx{ck, *backend, data};
  ctx.count = std::min(args.integer("count", 200), data.test.count());
  ctx.batch = args.integer("batch", 100);
  ctx.seed = args.u64("seed", 1234);
  ctx.dropout = args.number("dropout", ck.config.dropout_rate);

  std::vector<std::pair<std::string, EvalReport>> parts;
  if (args.has("baselines")) parts.emplace_back("baselines", eval_baselines(ctx, tune_count));
  if (args.has("persistence")) parts.emplace_back("persistence", eval_persistence(ctx, level, at));
  if (args.has("repair"))
    parts.emplace_back("repair", eval_repair(ctx, level, damage_step, recover_at, kinds));
  if (args.has("picture")) {
    parts.emplace_back("picture", write_repair_picture(ctx, args.str("picture"), level, damage_step,
                                                        recover_at.front(), *kinds.front(), at));
  }
  if (per_step) parts.emplace_back("per_step", eval_per_step(ctx, alphas, steps));
  if (args.has("mc")) parts.emplace_back("mc", eval_mc(ctx, alphas, steps, mc));
  if (parts.empty()) {
    if (collect) {
      collect->path = ckpt_path;
      collect->ck = ck;
      collect->steps = steps;
      collect->dropout = ctx.dropout;
      collect->count = ctx.count;
      collect->rows = plain_rows(ctx, alphas, steps);
      return 0;
    }
    print_plain(ctx, plain_rows(ctx, alphas, steps), steps, json, ckpt_path);
    return 0;
  }
  const std::string opt_step = ck.adam.empty() ? "null" : std::to_string(ck.adam.step);
  if (json) {
    std::printf("{\"checkpoint\":%s,\"preset\":%s,\"optimizer_step\":%s,\"horizon\":%d,\"data\":%s,"
                "\"digits\":%d,\"batch\":%d,\"seed\":%llu,\"dropout\":%g",
                json_quote(ckpt_path).c_str(), json_quote(ck.config.preset).c_str(), opt_step.c_str(),
                horizon, json_quote(data.test.source).c_str(), ctx.count, ctx.batch,
                (unsigned long long)ctx.seed, ctx.dropout);
    for (const auto& p : parts) std::printf(",\"%s\":%s", p.first.c_str(), p.second.json.c_str());
    std::printf("}\n");
  } else {
    std::printf("%s (%s config, optimiser step %s, horizon %d) on %s\n", ckpt_path.c_str(),
                ck.config.preset.c_str(), opt_step.c_str(), horizon, data.test.source.c_str());
    for (const auto& p : parts) std::fputs(p.second.table.c_str(), stdout);
  }
  return 0;
}

}  // namespace

}  // namespace rrcnn
