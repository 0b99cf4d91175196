// `rrcnn bench`: throughput of a backend as JSON (rollout steps/s for 8 and 256 digits, train
// steps/s). Each measurement gets two rates: the work-equivalent one from the spec's MAC counts
// (the full model on every cell) and the arithmetic actually done, counted by core/work_counter,
// as a fraction of the fp32 peak, which on the CPU is measured here with a large matrix product
// through the same GEMM library. Timing only: no assertions. tools/peers/compare.py and
// tools/reference/bench_reference.py read this JSON: add fields, never rename them.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/config_flags.h"
#include "cli/model_setup.h"
#include "core/config_json.h"
#include "core/error.h"
#include "core/gemm.h"
#include "core/init.h"
#include "core/json_io.h"
#include "core/parallel.h"
#include "core/param_layout.h"
#include "core/work_counter.h"

namespace rrcnn {
namespace {

// Every flag of `rrcnn bench`, in the order --help lists them.
void declare_bench_flags(Flags& f) {
  f.number("seconds", "S", "minimum time per measurement (default 2)", 0.0f, 3600.0f)
      .integer("large", "B", "digits in the large rollout (default 256)", 1, 65536)
      .flag("skip-train", "only measure rollouts")
      .integer("peak-size", "N",
               "CPU: the fp32 peak is measured with an N x N x N matrix product\n"
               "(default 2048; 0 skips it)",
               0, 16384);
  add_config_flags(f, false);
  add_backend_flags(f);
}

using Clock = std::chrono::steady_clock;

struct Timing {
  double per_second = 0;  // calls per second (rollouts: multiplied by the steps per call)
  int iterations = 0;
  double seconds = 0;
  double macs = 0;        // counted multiply-accumulates over the timed iterations
};

// Runs fn until at least `min_seconds` passed (and at least `min_iters` times), after warmup.
Timing measure(Backend& be, double min_seconds, int min_iters, const std::function<void()>& fn) {
  fn();
  be.synchronize();
  Timing t;
  const uint64_t macs0 = work_counter::read();
  const auto start = Clock::now();
  for (;;) {
    fn();
    ++t.iterations;
    be.synchronize();
    t.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (t.seconds >= min_seconds && t.iterations >= min_iters) break;
  }
  t.macs = double(work_counter::read() - macs0);
  t.per_second = t.iterations / t.seconds;
  return t;
}

// Best GFLOP/s of an n^3 single-precision product through gemm<float> on all threads: the
// ceiling the CPU kernels can hope for on this machine, under the same library and ISA limits.
double measure_peak_gflops(int n) {
  const size_t nn = size_t(n) * n;
  std::vector<float> a(nn), b(nn), c(nn);
  // Values of order 1 that stay normal (denormals would slow the product down, not the peak).
  for (size_t i = 0; i < nn; ++i) {
    a[i] = 0.25f + 0.01f * float(i % 17);
    b[i] = 0.5f - 0.01f * float(i % 11);
  }
  double best = 1e30, total = 0;
  for (int rep = 0; rep < 8 && (rep < 3 || total < 1.0); ++rep) {
    const auto t0 = Clock::now();
    gemm<float>(false, false, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n);
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    if (rep > 0) best = std::min(best, s);  // the first call warms caches and threads
    total += s;
  }
  return 2.0 * double(n) * n * n / best / 1e9;
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
  // The kernel gradient of a trained perception costs another convolution.
  return 2 * mlp + 9.0 * c.channels * c.perception * (c.train_perception ? 2 : 1);
}

std::string json_number(double v, const char* fmt = "%.4f") {
  if (!(v >= 0) || std::isinf(v)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

// One measurement's JSON line. `steps` = model steps per timed call (rollout chunk, or 1 for an
// optimiser step); `work_gflops` = the work-equivalent rate from the spec's MAC counts.
void print_entry(const char* name, const Timing& t, int steps, double work_gflops, double peak,
                 bool last) {
  const double actual = t.macs > 0 ? 2.0 * t.macs / t.seconds / 1e9 : -1.0;
  const double per_step = t.macs > 0 ? t.macs / (double(t.iterations) * steps) / 1e9 : -1.0;
  auto frac = [&](double g) { return peak > 0 && g >= 0 ? g / peak : -1.0; };
  std::printf("  \"%s\": {\"steps_per_s\": %.4f, \"gflops\": %.2f, \"actual_gflops\": %s, "
              "\"fraction_of_peak\": %s, \"work_fraction_of_peak\": %s, "
              "\"actual_gmacs_per_step\": %s, \"iterations\": %d, \"seconds\": %.3f}%s\n",
              name, t.per_second, work_gflops, json_number(actual, "%.2f").c_str(),
              json_number(frac(actual)).c_str(), json_number(frac(work_gflops)).c_str(),
              json_number(per_step, "%.5f").c_str(), t.iterations, t.seconds, last ? "" : ",");
}

}  // namespace

int cmd_bench(const std::vector<std::string>& argv) {
  Flags args("bench", "usage: rrcnn bench [flags]     (prints one JSON object)");
  declare_bench_flags(args);
  if (!args.parse(argv)) {
    std::fputs(args.help().c_str(), stdout);
    return 0;
  }
  const ModelConfig c = config_from_flags(args, args.integer("horizon", 0));
  const double secs = args.number("seconds", 2.0f);
  const int large = args.integer("large", 256);
  const int peak_size = args.integer("peak-size", 2048);
  // bf16 rates are still divided by the fp32 peak: the question a user asks is whether the
  // reduced precision buys speed on this processor.
  const std::string precision_name = args.str("precision", "fp32");
  const char* precision = precision_name.c_str();
  auto be = open_backend(args, c, true);
  auto params = init_params(be->layout(), 0);
  // A non-zero last layer: benchmark a model that actually changes the state.
  const TensorSpec& w3 = be->layout().layer_kernel(c.num_layers() - 1);
  for (size_t i = 0; i < w3.count; ++i) params[w3.offset + i] = 1e-3f * float(int(i % 13) - 6);
  be->set_params(params);

  // A GPU backend knows its theoretical peak; the CPU's is measured, through our GEMM.
  double peak = be->peak_fp32_gflops();
  std::string peak_source = "device specification";
  if (peak <= 0 && peak_size > 0) {
    peak = measure_peak_gflops(peak_size);
    peak_source = "measured: gemm<float> " + std::to_string(peak_size) + "^3, " +
                  std::to_string(num_threads()) + " threads, best of repeats";
  }

  const int chunk = 8;  // rollout steps per timed call
  auto rollout = [&](int batch) {
    std::vector<float> clean(size_t(batch) * c.cells(), 0.5f);
    be->reset(clean, batch, 0.5f, 0, 0);
    Timing t = measure(*be, secs, 2, [&] { be->step(chunk); });
    t.per_second *= chunk;
    return t;
  };
  const Timing r8 = rollout(8);
  const Timing rl = rollout(large);
  Timing tr;
  const int train_batch = 8;
  const bool train = !args.has("skip-train");
  if (train) {
    std::vector<float> clean(size_t(train_batch) * c.cells(), 0.5f);
    uint32_t episode = 0;
    tr = measure(*be, secs, 2, [&] { be->train_step(clean, train_batch, 0, episode++); });
  }
  const double cell_flops_fwd = 2 * forward_macs(c), cell_flops_bwd = 2 * backward_macs(c);
  const double gf8 = r8.per_second * 8 * c.cells() * cell_flops_fwd / 1e9;
  const double gfl = rl.per_second * large * c.cells() * cell_flops_fwd / 1e9;
  const double gft = tr.per_second * train_batch * c.cells() * c.rollout_steps *
                     (cell_flops_fwd + cell_flops_bwd) / 1e9;

  // Strings through json_quote: a device or config name may hold quotes or backslashes.
  std::printf("{\n  \"backend\": %s,\n  \"device\": %s,\n  \"gemm\": %s,\n", json_quote(be->name()).c_str(),
              json_quote(be->device_name()).c_str(), json_quote(gemm_library()).c_str());
  std::printf("  \"preset\": %s,\n  \"config\": %s,\n  \"precision\": %s,\n  \"threads\": %d,\n",
              json_quote(c.preset).c_str(), model_config_to_json(c).c_str(), json_quote(precision).c_str(),
              num_threads());
  std::printf("  \"forward_macs_per_cell_step\": %.0f,\n  \"backward_macs_per_cell_step\": %.0f,\n",
              forward_macs(c), backward_macs(c));
  std::printf("  \"peak_fp32_gflops\": %s,\n  \"peak_source\": %s,\n",
              json_number(peak, "%.2f").c_str(), json_quote(peak > 0 ? peak_source : "none").c_str());
  print_entry("rollout_8", r8, chunk, gf8, peak, false);
  std::printf("  \"rollout_large_digits\": %d,\n", large);
  print_entry("rollout_large", rl, chunk, gfl, peak, !train);
  if (train) {
    std::printf("  \"train_batch\": %d,\n", train_batch);
    print_entry("train", tr, 1, gft, peak, true);
  }
  std::printf("}\n");
  return 0;
}

}  // namespace rrcnn
