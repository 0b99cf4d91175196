// `rrcnn eval --per-step`: the mean MSE of the image channel after every step of the rollout
// (step 0 is the noisy input), per noise level; the data behind the error-versus-step plot of
// docs/quality.md (tools/quality/plot_error_vs_step.py reads the JSON).
#include <algorithm>
#include <cstdio>
#include <sstream>
#include <vector>

#include "cli/eval_parts.h"

namespace rrcnn {

EvalReport eval_per_step(const EvalContext& ctx, const std::vector<float>& alphas, int steps) {
  const int px = ctx.ck.config.cells();
  const int chunk = 32;  // steps per trajectory read: bounds its memory on long runs
  std::vector<std::vector<std::vector<double>>> mse(alphas.size());  // [level][step][digit]
  for (size_t li = 0; li < alphas.size(); ++li) {
    mse[li].assign(size_t(steps) + 1, {});
    for_each_test_batch(ctx, [&](int start, int b, const std::vector<float>& clean) {
      note_progress("per-step, alpha " + level_label(alphas[li]), start, ctx.count);
      start_rollout(ctx, clean, b, alphas[li], start, ctx.dropout);
      score_backend(ctx, clean, b, &mse[li][0], nullptr);
      for (int done = 0; done < steps;) {
        const int n = std::min(chunk, steps - done);
        std::vector<float> traj;
        ctx.backend.step(n, &traj);
        for (int t = 0; t < n; ++t) {
          const auto m = per_sample_mse(traj.data() + size_t(t) * b * px, clean.data(), b, px);
          auto& dst = mse[li][size_t(done + t + 1)];
          dst.insert(dst.end(), m.begin(), m.end());
        }
        done += n;
      }
    });
  }
  note_progress("per-step", ctx.count, ctx.count);
  std::ostringstream table, json;
  table << "\nMean MSE / PSNR (dB) after each step, " << ctx.count << " held-out digits, dropout " << ctx.dropout
        << "\n  step";
  for (float a : alphas) {
    char head[48];
    std::snprintf(head, sizeof head, "   %-18s", ("alpha " + level_label(a)).c_str());
    table << head;
  }
  table << "\n";
  json << "{\"dropout\":" << ctx.dropout << ",\"steps\":" << steps << ",\"horizon\":" << ctx.ck.config.rollout_steps
       << ",\"levels\":[";
  std::vector<std::vector<QualitySummary>> q(alphas.size());
  for (size_t li = 0; li < alphas.size(); ++li)
    for (const auto& per_digit : mse[li]) q[li].push_back(summarize_quality(per_digit));
  const int every = std::max(1, steps / 16);
  for (int t = 0; t <= steps; ++t) {
    if (t % every && t != steps && t != ctx.ck.config.rollout_steps) continue;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%6d", t);
    table << buf;
    for (size_t li = 0; li < alphas.size(); ++li) {
      std::snprintf(buf, sizeof buf, "   %8.5f %6.2f dB", q[li][t].mse, q[li][t].psnr);
      table << buf;
    }
    table << "\n";
  }
  for (size_t li = 0; li < alphas.size(); ++li) {
    json << (li ? "," : "") << "{\"alpha\":" << level_json(alphas[li]);
    const char* keys[] = {"mse", "mse_lo", "mse_hi", "psnr"};
    for (int k = 0; k < 4; ++k) {
      json << ",\"" << keys[k] << "\":[";
      for (int t = 0; t <= steps; ++t) {
        const QualitySummary& s = q[li][t];
        const double v = k == 0 ? s.mse : k == 1 ? s.mse_lo : k == 2 ? s.mse_hi : s.psnr;
        json << (t ? "," : "") << json_number(v);
      }
      json << "]";
    }
    json << "}";
  }
  json << "]}";
  return {table.str(), json.str()};
}

}  // namespace rrcnn
