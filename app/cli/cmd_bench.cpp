// `rrcnn bench`: throughput of a backend as JSON (rollout steps/s for 8 and 256 digits, train
// steps/s) with the achieved GFLOP/s from the spec's MAC counts. Timing only: no assertions.
#include <chrono>
#include <cstdio>
#include <functional>

#include "cli/commands.h"
#include "cli/model_setup.h"
#include "core/error.h"
#include "core/gemm.h"
#include "core/init.h"
#include "core/param_layout.h"

namespace rrcnn {
namespace {

const char* kBenchHelp =
    "usage: rrcnn bench [flags]     (prints one JSON object)\n"
    "  --preset seed|lite   model size (default seed)\n"
    "  --seconds S          minimum time per measurement (default 2)\n"
    "  --large B            digits in the large rollout (default 256)\n"
    "  --skip-train         only measure rollouts\n";

struct Timing {
  double per_second = 0;
  int iterations = 0;
  double seconds = 0;
};

// Runs fn until at least `min_seconds` passed (and at least `min_iters` times), after warmup.
Timing measure(Backend& be, double min_seconds, int min_iters, const std::function<void()>& fn) {
  fn();
  be.synchronize();
  Timing t;
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    fn();
    ++t.iterations;
    be.synchronize();
    t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (t.seconds >= min_seconds && t.iterations >= min_iters) break;
  }
  t.per_second = t.iterations / t.seconds;
  return t;
}

// Forward and backward multiply-accumulates per cell-step (model-spec.md, "Cost").
double forward_macs(const ModelConfig& c) {
  double m = 9.0 * c.channels * c.perception;
  for (int l = 0; l < c.num_layers(); ++l) m += double(c.layer_in(l)) * c.layer_out(l);
  return m;
}
double backward_macs(const ModelConfig& c) {
  double mlp = 0;
  for (int l = 0; l < c.num_layers(); ++l) mlp += double(c.layer_in(l)) * c.layer_out(l);
  return 2 * mlp + 9.0 * c.channels * c.perception;
}

}  // namespace

int cmd_bench(const std::vector<std::string>& argv) {
  const Args args("bench", argv, {"preset", "seconds", "large", "backend", "threads"}, {"skip-train"});
  if (args.help()) {
    std::fputs(kBenchHelp, stdout);
    std::fputs(kBackendFlagsHelp, stdout);
    return 0;
  }
  const ModelConfig c = model_preset(args.str("preset", "seed"));
  const double secs = args.number("seconds", 2.0f, 0.0f, 3600.0f);
  const int large = args.integer("large", 256, 1, 65536);
  auto be = open_backend(args, c, true);
  auto params = init_params(be->layout(), 0);
  // A non-zero last layer: benchmark a model that actually changes the state.
  const TensorSpec& w3 = be->layout().layer_kernel(c.num_layers() - 1);
  for (size_t i = 0; i < w3.count; ++i) params[w3.offset + i] = 1e-3f * float(int(i % 13) - 6);
  be->set_params(params);

  const double cell_flops_fwd = 2 * forward_macs(c), cell_flops_bwd = 2 * backward_macs(c);
  auto rollout = [&](int batch) {
    std::vector<float> clean(size_t(batch) * c.cells(), 0.5f);
    be->reset(clean, batch, 0.5f, 0, 0);
    const int chunk = 8;  // steps per timed call
    Timing t = measure(*be, secs, 2, [&] { be->step(chunk); });
    t.per_second *= chunk;
    return t;
  };
  const Timing r8 = rollout(8);
  const Timing rl = rollout(large);
  Timing tr;
  const int train_batch = 8;
  if (!args.has("skip-train")) {
    std::vector<float> clean(size_t(train_batch) * c.cells(), 0.5f);
    uint32_t episode = 0;
    tr = measure(*be, secs, 2, [&] { be->train_step(clean, train_batch, 0, episode++); });
  }
  const double gf8 = r8.per_second * 8 * c.cells() * cell_flops_fwd / 1e9;
  const double gfl = rl.per_second * large * c.cells() * cell_flops_fwd / 1e9;
  const double gft = tr.per_second * train_batch * c.cells() * c.rollout_steps *
                     (cell_flops_fwd + cell_flops_bwd) / 1e9;
  const double peak = be->peak_fp32_gflops();
  auto frac = [&](double g) { return peak > 0 ? g / peak : -1.0; };
  std::printf("{\n  \"backend\": \"%s\",\n  \"device\": \"%s\",\n  \"gemm\": \"%s\",\n", be->name().c_str(),
              be->device_name().c_str(), gemm_library());
  std::printf("  \"preset\": \"%s\",\n  \"peak_fp32_gflops\": %s,\n", c.preset.c_str(),
              peak > 0 ? std::to_string(peak).c_str() : "null");
  auto entry = [&](const char* name, const Timing& t, double gflops, const char* unit, bool last) {
    std::printf("  \"%s\": {\"%s\": %.4f, \"gflops\": %.2f, \"fraction_of_peak\": %s, "
                "\"iterations\": %d, \"seconds\": %.3f}%s\n",
                name, unit, t.per_second, gflops,
                frac(gflops) >= 0 ? std::to_string(frac(gflops)).c_str() : "null", t.iterations,
                t.seconds, last ? "" : ",");
  };
  entry("rollout_8", r8, gf8, "steps_per_s", false);
  std::printf("  \"rollout_large_digits\": %d,\n", large);
  entry("rollout_large", rl, gfl, "steps_per_s", args.has("skip-train"));
  if (!args.has("skip-train")) {
    std::printf("  \"train_batch\": %d,\n", train_batch);
    entry("train", tr, gft, "steps_per_s", true);
  }
  std::printf("}\n");
  return 0;
}

}  // namespace rrcnn
