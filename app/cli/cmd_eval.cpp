// `rrcnn eval`: MSE and PSNR on held-out digits per noise level, next to the noisy input's own;
// with --baselines, --persistence, --repair or --per-step, the longer evaluations of
// docs/quality.md (eval_*.cpp), printed as tables or as one JSON object.
#include <cstdio>
#include <sstream>

#include "cli/commands.h"
#include "cli/eval_parts.h"
#include "cli/model_setup.h"
#include "core/error.h"
#include "core/json.h"
#include "core/mc_dropout.h"
#include "core/metrics.h"

namespace rrcnn {
namespace {

const char* kEvalHelp =
    "usage: rrcnn eval --ckpt FILE [flags]\n"
    "Held-out digits are the first --count of the test split; every method and every run sees\n"
    "the same noise draws (from --seed). PSNR is that of the mean MSE over the digits.\n"
    "  --alphas A,B,...   noise levels to test (default 0.25,0.5,0.75; -1 = random per digit)\n"
    "  --steps N          rollout steps (default: the model's training horizon; --per-step: 2x)\n"
    "  --count N          held-out digits to use (default 200; 1000 = the whole held-out split)\n"
    "  --batch B          digits per rollout (default 100; the noise draws depend on it)\n"
    "  --dropout R        cell dropout while running (default: the model's rate, as the\n"
    "                     original runs it; 0 for deterministic inference)\n"
    "  --seed S           noise seed (default 1234)\n"
    "  --data DIR         IDX digits (default: the embedded MNIST subset)\n"
    "  --json             print JSON instead of a table\n"
    "longer evaluations (any combination; replaces the plain table):\n"
    "  --baselines        the model at 1x and 2x its horizon, dropout on and off, next to the\n"
    "                     noisy input, the mean training digit, a Gaussian blur and a median\n"
    "                     filter, at noise 0.25, 0.5, 0.75 and random; mean and 95% interval\n"
    "  --tune-count N     training digits that choose the blur sigma and median window per\n"
    "                     level (default 1000; never the held-out targets)\n"
    "  --persistence      PSNR after each of --at steps of one rollout, diverged digits counted\n"
    "  --at S1,S2,...     steps for --persistence (default 64,256,1024)\n"
    "  --repair           erase a disc at --damage-step, run --recover-steps more, and compare\n"
    "                     the damaged region with the same rollout left undamaged. The disc is\n"
    "                     centred on the ink pixel (>= 0.5) of the clean digit nearest its centre\n"
    "                     of mass\n"
    "  --radius R         erase radius in cells (default 3)\n"
    "  --damage-step N    step of the erase (default: the training horizon)\n"
    "  --recover-steps N  steps after it (default: the training horizon)\n"
    "  --picture FILE.png with --repair: draw the first 8 held-out digits through one rollout,\n"
    "                     erased at --damage-step and left running to the last --at step\n"
    "  --alpha A          noise level of --persistence and --repair (default 0.5)\n"
    "  --per-step         mean MSE after every step 0..--steps at each of --alphas (JSON for\n"
    "                     the error-versus-step plot)\n"
    "  --mc K             K rollouts per digit with different dropout masks (K <= 32) at each\n"
    "                     of --alphas: single-rollout MSE, the MSE of the K-mean image and the\n"
    "                     correlation of the per-pixel std with the error (costs K rollouts)\n";

struct Row {
  float alpha;
  double noisy_mse, out_mse;
};

std::vector<int> parse_steps(const Args& args) {
  std::vector<int> out;
  for (float v : args.numbers("at", {64, 256, 1024})) {
    RRCNN_CHECK(v >= 1 && v <= 1000000 && v == float(int(v)),
                "rrcnn eval: --at " << v << " is not a whole number of steps >= 1");
    RRCNN_CHECK(out.empty() || int(v) > out.back(), "rrcnn eval: --at steps must increase");
    out.push_back(int(v));
  }
  return out;
}

// The plain eval: one rollout per level, model against noisy input.
void plain_eval(const EvalContext& ctx, const std::vector<float>& alphas, int steps, bool json,
                const std::string& ckpt_path) {
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

}  // namespace

int cmd_eval(const std::vector<std::string>& argv) {
  const Args args("eval", argv,
                  {"ckpt", "alphas", "steps", "count", "batch", "dropout", "seed", "data", "backend",
                   "threads", "precision", "tune-count", "at", "radius", "damage-step", "recover-steps", "alpha",
                   "picture", "mc"},
                  {"json", "baselines", "persistence", "repair", "per-step"});
  if (args.help()) {
    std::fputs(kEvalHelp, stdout);
    std::fputs(kBackendFlagsHelp, stdout);
    return 0;
  }
  RRCNN_CHECK(args.has("ckpt"), "rrcnn eval: --ckpt FILE is required");
  const Checkpoint ck = load_checkpoint(args.str("ckpt"));
  const std::vector<float> alphas = args.numbers("alphas", {0.25f, 0.5f, 0.75f});
  for (float a : alphas)
    RRCNN_CHECK((a >= 0 && a <= 1) || a == kRandomAlpha,
                "rrcnn eval: noise level " << a << " is outside [0, 1] (-1 = random per digit)");
  const bool per_step = args.has("per-step");
  const int horizon = ck.config.rollout_steps;
  const int steps = args.integer("steps", per_step ? 2 * horizon : horizon, 1, 100000);
  // Flags of the longer parts, parsed before any work so a typo fails at once.
  const int tune_count = args.integer("tune-count", 1000, 1, 1000000);
  const std::vector<int> at = parse_steps(args);
  const float radius = args.number("radius", 3.0f, 0.0f, 1000.0f);
  const int damage_step = args.integer("damage-step", horizon, 0, 1000000);
  const int recover_steps = args.integer("recover-steps", horizon, 1, 1000000);
  const float level = args.number("alpha", 0.5f, 0.0f, 1.0f);
  const int mc = args.integer("mc", 0, 1, kMaxMcRollouts);
  RRCNN_CHECK(!args.has("picture") || args.has("repair"), "rrcnn eval: --picture draws the repair test; add --repair");
  const DataSplit data = open_data(args);
  RRCNN_CHECK(data.test.height == ck.config.height && data.test.width == ck.config.width,
              "rrcnn eval: the data's digits do not fit the model's grid");
  const bool json = args.has("json");
  auto backend = open_backend(args, ck.config, json);
  backend->set_params(ck.params);
  EvalContext ctx{ck, *backend, data};
  ctx.count = std::min(args.integer("count", 200, 1, 1000000), data.test.count());
  ctx.batch = args.integer("batch", 100, 1, 4096);
  ctx.seed = args.u64("seed", 1234);
  ctx.dropout = args.number("dropout", ck.config.dropout_rate, 0.0f, 0.99f);

  std::vector<std::pair<std::string, EvalReport>> parts;
  if (args.has("baselines")) parts.emplace_back("baselines", eval_baselines(ctx, tune_count));
  if (args.has("persistence")) parts.emplace_back("persistence", eval_persistence(ctx, level, at));
  if (args.has("repair"))
    parts.emplace_back("repair", eval_repair(ctx, level, damage_step, recover_steps, radius));
  if (args.has("picture")) {
    parts.emplace_back("picture", write_repair_picture(ctx, args.str("picture"), level, damage_step,
                                                        recover_steps, radius, at));
  }
  if (per_step) parts.emplace_back("per_step", eval_per_step(ctx, alphas, steps));
  if (args.has("mc")) parts.emplace_back("mc", eval_mc(ctx, alphas, steps, mc));
  if (parts.empty()) {
    plain_eval(ctx, alphas, steps, json, args.str("ckpt"));
    return 0;
  }
  const std::string opt_step = ck.adam.empty() ? "null" : std::to_string(ck.adam.step);
  if (json) {
    std::printf("{\"checkpoint\":%s,\"preset\":%s,\"optimizer_step\":%s,\"horizon\":%d,\"data\":%s,"
                "\"digits\":%d,\"batch\":%d,\"seed\":%llu,\"dropout\":%g",
                json_quote(args.str("ckpt")).c_str(), json_quote(ck.config.preset).c_str(), opt_step.c_str(),
                horizon, json_quote(data.test.source).c_str(), ctx.count, ctx.batch,
                (unsigned long long)ctx.seed, ctx.dropout);
    for (const auto& p : parts) std::printf(",\"%s\":%s", p.first.c_str(), p.second.json.c_str());
    std::printf("}\n");
  } else {
    std::printf("%s (%s preset, optimiser step %s, horizon %d) on %s\n", args.str("ckpt").c_str(),
                ck.config.preset.c_str(), opt_step.c_str(), horizon, data.test.source.c_str());
    for (const auto& p : parts) std::fputs(p.second.table.c_str(), stdout);
  }
  return 0;
}

}  // namespace rrcnn
