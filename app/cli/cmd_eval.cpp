// `rrcnn eval`: MSE and PSNR on held-out digits per noise level, next to the noisy input's own.
#include <cstdio>
#include <sstream>

#include "cli/commands.h"
#include "cli/model_setup.h"
#include "core/error.h"
#include "core/metrics.h"

namespace rrcnn {
namespace {

const char* kEvalHelp =
    "usage: rrcnn eval --ckpt FILE [flags]\n"
    "  --alphas A,B,...   noise levels to test (default 0.25,0.5,0.75)\n"
    "  --steps N          rollout steps (default: the model's training horizon)\n"
    "  --count N          held-out digits to use (default 200; 1000 = the whole held-out split)\n"
    "  --batch B          digits per rollout (default 100)\n"
    "  --dropout R        cell dropout while running (default: the model's rate, as the\n"
    "                     original runs it; 0 for deterministic inference)\n"
    "  --seed S           noise seed (default 1234)\n"
    "  --data DIR         IDX digits (default: the embedded MNIST subset)\n"
    "  --json             print JSON instead of a table\n";

struct Row {
  float alpha;
  double noisy_mse, out_mse;
};

}  // namespace

int cmd_eval(const std::vector<std::string>& argv) {
  const Args args("eval", argv,
                  {"ckpt", "alphas", "steps", "count", "batch", "dropout", "seed", "data", "backend",
                   "threads"},
                  {"json"});
  if (args.help()) {
    std::fputs(kEvalHelp, stdout);
    std::fputs(kBackendFlagsHelp, stdout);
    return 0;
  }
  RRCNN_CHECK(args.has("ckpt"), "rrcnn eval: --ckpt FILE is required");
  const Checkpoint ck = load_checkpoint(args.str("ckpt"));
  const std::vector<float> alphas = args.numbers("alphas", {0.25f, 0.5f, 0.75f});
  for (float a : alphas)
    RRCNN_CHECK(a >= 0 && a <= 1, "rrcnn eval: noise level " << a << " is outside [0, 1]");
  const int steps = args.integer("steps", ck.config.rollout_steps, 1, 100000);
  const DataSplit data = open_data(args);
  const Dataset& test = data.test;
  RRCNN_CHECK(test.height == ck.config.height && test.width == ck.config.width,
              "rrcnn eval: the data's digits do not fit the model's grid");
  const int count = std::min(args.integer("count", 200, 1, 1000000), test.count());
  const int batch = args.integer("batch", 100, 1, 4096);
  const uint64_t seed = args.u64("seed", 1234);
  auto backend = open_backend(args, ck.config, args.has("json"));
  backend->set_params(ck.params);
  backend->set_live_dropout(args.number("dropout", ck.config.dropout_rate, 0.0f, 0.99f));

  const size_t px = size_t(ck.config.cells());
  std::vector<Row> rows;
  for (size_t ai = 0; ai < alphas.size(); ++ai) {
    Row row{alphas[ai], 0, 0};
    for (int start = 0; start < count; start += batch) {
      const int b = std::min(batch, count - start);
      std::vector<int> idx(b);
      for (int i = 0; i < b; ++i) idx[i] = start + i;
      const std::vector<float> clean = gather_batch(test, idx);
      backend->reset(clean, b, alphas[ai], seed, uint32_t(ai * 1000003 + start));
      const std::vector<float> noisy = backend->image();
      backend->step(steps);
      const std::vector<float> out = backend->image();
      row.noisy_mse += clipped_mse(noisy.data(), clean.data(), clean.size()) * b;
      row.out_mse += clipped_mse(out.data(), clean.data(), clean.size()) * b;
    }
    row.noisy_mse /= count;
    row.out_mse /= count;
    rows.push_back(row);
  }
  (void)px;
  if (args.has("json")) {
    std::printf("{\"checkpoint\":\"%s\",\"digits\":%d,\"steps\":%d,\"dropout\":%g,\"levels\":[",
                args.str("ckpt").c_str(), count, steps, backend->live_dropout());
    for (size_t i = 0; i < rows.size(); ++i)
      std::printf("%s{\"alpha\":%g,\"noisy_mse\":%.6g,\"noisy_psnr\":%.4f,\"mse\":%.6g,\"psnr\":%.4f}",
                  i ? "," : "", rows[i].alpha, rows[i].noisy_mse, psnr_from_mse(rows[i].noisy_mse),
                  rows[i].out_mse, psnr_from_mse(rows[i].out_mse));
    std::printf("]}\n");
  } else {
    std::printf("%d held-out digits, %d steps, dropout %g\n", count, steps, backend->live_dropout());
    std::printf("alpha   noisy MSE  noisy PSNR   model MSE  model PSNR   gain\n");
    for (const Row& r : rows)
      std::printf("%5.2f  %10.5f  %7.2f dB  %10.5f  %7.2f dB  %+5.2f dB\n", r.alpha, r.noisy_mse,
                  psnr_from_mse(r.noisy_mse), r.out_mse, psnr_from_mse(r.out_mse),
                  psnr_from_mse(r.out_mse) - psnr_from_mse(r.noisy_mse));
  }
  return 0;
}

}  // namespace rrcnn
