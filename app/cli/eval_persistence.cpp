// `rrcnn eval --persistence`: what a user of the studio sees when the automaton keeps running
// past its training horizon (the repair test is eval_repair.cpp). A model that
// blows up is reported as it is (clipped pixels give a low PSNR, the diverged column counts
// digits whose cells left the finite range), never as an error.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/eval_parts.h"

namespace rrcnn {
namespace {

int count_ones(const std::vector<uint8_t>& d) {
  int n = 0;
  for (uint8_t v : d) n += v;
  return n;
}

}  // namespace

EvalReport eval_persistence(const EvalContext& ctx, float alpha, const std::vector<int>& at_steps) {
  const size_t n = at_steps.size();
  std::vector<std::vector<double>> mse(n);
  std::vector<std::vector<uint8_t>> diverged(n);
  std::vector<float> max_abs(n, 0.0f);
  for_each_test_batch(ctx, [&](int start, int b, const std::vector<float>& clean) {
    note_progress("persistence", start, ctx.count);
    start_rollout(ctx, clean, b, alpha, start, ctx.dropout);
    int done = 0;
    for (size_t i = 0; i < n; ++i) {
      ctx.backend.step(at_steps[i] - done);
      done = at_steps[i];
      score_backend(ctx, clean, b, &mse[i], &diverged[i]);
      const std::vector<float> s = ctx.backend.state();
      max_abs[i] = std::max(max_abs[i], max_abs_finite(s.data(), s.size()));
    }
  });
  note_progress("persistence", ctx.count, ctx.count);
  std::ostringstream table, json;
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "\nPersistence: %d held-out digits, alpha %s, dropout %g, one rollout read at each step\n"
                "%6s  %-28s %-22s %9s %10s  %s\n",
                ctx.count, level_label(alpha).c_str(), ctx.dropout, "step", "MSE [95% interval]",
                "PSNR dB [95% interval]", "vs first", "max |cell|", "diverged");
  table << buf;
  json << "{\"alpha\":" << level_json(alpha) << ",\"dropout\":" << ctx.dropout << ",\"steps\":[";
  double first_psnr = 0;
  for (size_t i = 0; i < n; ++i) {
    const QualitySummary q = summarize_quality(mse[i]);
    if (i == 0) first_psnr = q.psnr;
    const int div = count_ones(diverged[i]);
    std::snprintf(buf, sizeof buf, "%6d  %-28s %-22s %+9.2f %10.3g  %d of %d\n", at_steps[i], mse_cell(q).c_str(),
                  psnr_cell(q).c_str(), q.psnr - first_psnr, double(max_abs[i]), div, q.n);
    table << buf;
    json << (i ? "," : "") << "{\"step\":" << at_steps[i] << "," << quality_fields(q)
         << ",\"diverged\":" << div << ",\"max_abs_cell\":" << json_number(max_abs[i]) << "}";
  }
  json << "]}";
  return {table.str(), json.str()};
}

}  // namespace rrcnn
