// `rrcnn eval --mc K`: K rollouts of each noisy held-out digit under different dropout masks
// (one batch on the backend, core/mc_dropout.h), per noise level: the MSE of a single rollout
// (exactly the plain eval's rollout: copy 0 draws the same masks), the mean MSE of the K
// rollouts, the MSE of their per-pixel mean, and how well the per-pixel spread predicts the
// error of the mean (Pearson correlation over every pixel of every digit).
#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

#include "cli/eval_parts.h"
#include "core/mc_dropout.h"

namespace rrcnn {

EvalReport eval_mc(const EvalContext& ctx, const std::vector<float>& alphas, int steps, int k) {
  std::ostringstream table, json;
  table << "\nDropout uncertainty: " << k << " rollouts per digit (dropout " << ctx.dropout << ", "
        << steps << " steps), " << ctx.count << " held-out digits\n"
        << "  alpha    single rollout      mean of K rollouts   K-mean image        gain    "
           "corr(std, |error|)\n";
  json << "{\"k\":" << k << ",\"steps\":" << steps << ",\"dropout\":" << ctx.dropout << ",\"levels\":[";
  for (size_t li = 0; li < alphas.size(); ++li) {
    std::vector<double> single, rollouts, mean_img, sd_all, err_all;
    for_each_test_batch(ctx, [&](int start, int b, const std::vector<float>& clean) {
      note_progress("dropout rollouts, alpha " + level_label(alphas[li]), start, ctx.count);
      start_rollout(ctx, clean, b, alphas[li], start, ctx.dropout);
      const std::vector<float> state = ctx.backend.state();
      const McRollouts run = run_mc_rollouts(ctx.backend, state, b, k, steps, nullptr);
      const McSummary s = summarize_mc(run.finals.data(), k, clean.data(), b, run.pixels);
      single.insert(single.end(), s.single_mse.begin(), s.single_mse.end());
      rollouts.insert(rollouts.end(), s.rollouts_mse.begin(), s.rollouts_mse.end());
      mean_img.insert(mean_img.end(), s.mean_mse.begin(), s.mean_mse.end());
      for (size_t i = 0; i < clean.size(); ++i) {
        sd_all.push_back(s.std_dev[i]);
        err_all.push_back(std::fabs(double(s.mean[i]) - double(clean[i])));
      }
    });
    const QualitySummary qs = summarize_quality(single), qr = summarize_quality(rollouts),
                         qm = summarize_quality(mean_img);
    const double corr = pearson(sd_all, err_all);
    char line[256];
    std::snprintf(line, sizeof line, "  %-6s  %.5f %6.2f dB   %.5f %6.2f dB    %.5f %6.2f dB   %+5.2f dB   %.3f\n",
                  level_label(alphas[li]).c_str(), qs.mse, qs.psnr, qr.mse, qr.psnr, qm.mse, qm.psnr,
                  qm.psnr - qs.psnr, corr);
    table << line;
    json << (li ? "," : "") << "{\"alpha\":" << level_json(alphas[li]) << ",\"single\":{"
         << quality_fields(qs) << "},\"rollouts\":{" << quality_fields(qr) << "},\"k_mean\":{"
         << quality_fields(qm) << "},\"std_error_corr\":" << json_number(corr) << "}";
  }
  note_progress("dropout rollouts", ctx.count, ctx.count);
  json << "]}";
  return {table.str(), json.str()};
}

}  // namespace rrcnn
