// `rrcnn eval --persistence` and `--repair`: what a user of the studio sees when the automaton
// keeps running past its training horizon, and when they erase part of a digit. A model that
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

// Mean of the selected per-digit values (all when idx is empty).
double mean_of(const std::vector<double>& v, const std::vector<int>* idx) {
  double s = 0;
  if (!idx) {
    for (double x : v) s += x;
    return v.empty() ? 0.0 : s / double(v.size());
  }
  for (int i : *idx) s += v[size_t(i)];
  return idx->empty() ? 0.0 : s / double(idx->size());
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

EvalReport eval_repair(const EvalContext& ctx, float alpha, int damage_step, int recover_steps,
                       float radius) {
  const ModelConfig& c = ctx.ck.config;
  // Per digit: MSE of the damaged region before the erase, just after, after recovery, and in
  // the same rollout never damaged; whole-image MSE after recovery, damaged and not.
  std::vector<double> before, erased, damaged, undamaged, whole_damaged, whole_undamaged;
  std::vector<uint8_t> div_damaged, div_undamaged;
  size_t region_cells = 0;
  for_each_test_batch(ctx, [&](int start, int b, const std::vector<float>& clean) {
    note_progress("repair", start, ctx.count);
    std::vector<std::vector<int>> regions(b);
    start_rollout(ctx, clean, b, alpha, start, ctx.dropout);
    ctx.backend.step(damage_step);
    const std::vector<float> img_before = ctx.backend.image();
    for (int i = 0; i < b; ++i) {
      const float* digit = clean.data() + size_t(i) * c.cells();
      const BrushStroke disc = erase_disc(i, repair_centre(digit, c.height, c.width), radius);
      regions[i] = covered_pixels(disc, c.height, c.width);
      region_cells += regions[i].size();
      ctx.backend.brush(disc);
    }
    const std::vector<float> img_erased = ctx.backend.image();
    ctx.backend.step(recover_steps);
    const std::vector<float> img_damaged = ctx.backend.image();
    score_backend(ctx, clean, b, &whole_damaged, &div_damaged);
    start_rollout(ctx, clean, b, alpha, start, ctx.dropout);  // the same rollout, left alone
    ctx.backend.step(damage_step + recover_steps);
    const std::vector<float> img_undamaged = ctx.backend.image();
    score_backend(ctx, clean, b, &whole_undamaged, &div_undamaged);
    for (int i = 0; i < b; ++i) {
      const size_t off = size_t(i) * c.cells();
      const float* target = clean.data() + off;
      before.push_back(region_mse(img_before.data() + off, target, regions[i]));
      erased.push_back(region_mse(img_erased.data() + off, target, regions[i]));
      damaged.push_back(region_mse(img_damaged.data() + off, target, regions[i]));
      undamaged.push_back(region_mse(img_undamaged.data() + off, target, regions[i]));
    }
  });
  note_progress("repair", ctx.count, ctx.count);

  // Fractions of the lost PSNR won back, from dataset-level PSNRs of the region: against the
  // same rollout never damaged (primary), and against the region just before the erase.
  const auto fraction = [&](const std::vector<double>& reference, const std::vector<int>* idx) {
    const double pe = psnr_from_mse(mean_of(erased, idx));
    return (psnr_from_mse(mean_of(damaged, idx)) - pe) / (psnr_from_mse(mean_of(reference, idx)) - pe);
  };
  const double f_undamaged = fraction(undamaged, nullptr), f_before = fraction(before, nullptr);
  const Interval ci_undamaged = bootstrap_ci95(ctx.count, [&](const std::vector<int>& idx) { return fraction(undamaged, &idx); });
  const Interval ci_before = bootstrap_ci95(ctx.count, [&](const std::vector<int>& idx) { return fraction(before, &idx); });

  const QualitySummary qb = summarize_quality(before), qe = summarize_quality(erased),
                       qd = summarize_quality(damaged), qu = summarize_quality(undamaged),
                       wd = summarize_quality(whole_damaged), wu = summarize_quality(whole_undamaged);
  std::ostringstream table, json;
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "\nRepair: %d held-out digits, alpha %s, dropout %g: at step %d erase a disc of radius %g "
                "(%.1f cells on average; all channels zeroed) on the ink pixel nearest each digit's "
                "centre of mass, then run %d more steps\n",
                ctx.count, level_label(alpha).c_str(), ctx.dropout, damage_step, radius,
                double(region_cells) / std::max(1, ctx.count), recover_steps);
  table << buf;
  const int end = damage_step + recover_steps;
  std::snprintf(buf, sizeof buf, "%-40s %-28s %s\n", "damaged region", "MSE [95% interval]", "PSNR dB [95% interval]");
  table << buf;
  const std::pair<std::string, const QualitySummary*> rows[] = {
      {"step " + std::to_string(damage_step) + ", before the erase", &qb},
      {"step " + std::to_string(damage_step) + ", just after the erase", &qe},
      {"step " + std::to_string(end) + ", damaged", &qd},
      {"step " + std::to_string(end) + ", never damaged", &qu}};
  for (const auto& r : rows) {
    std::snprintf(buf, sizeof buf, "  %-38s %-28s %s\n", r.first.c_str(), mse_cell(*r.second).c_str(),
                  psnr_cell(*r.second).c_str());
    table << buf;
  }
  std::snprintf(buf, sizeof buf,
                "lost PSNR recovered by step %d: %.2f [%.2f, %.2f] of the gap to the undamaged rollout, "
                "%.2f [%.2f, %.2f] of the gap to before the erase (bootstrap 95%%)\n"
                "whole image at step %d: damaged %.2f dB, never damaged %.2f dB; diverged: %d damaged, %d never damaged\n",
                end, f_undamaged, ci_undamaged.lo, ci_undamaged.hi, f_before, ci_before.lo, ci_before.hi, end,
                wd.psnr, wu.psnr, count_ones(div_damaged), count_ones(div_undamaged));
  table << buf;
  json << "{\"alpha\":" << level_json(alpha) << ",\"dropout\":" << ctx.dropout << ",\"radius\":" << radius
       << ",\"damage_step\":" << damage_step << ",\"recover_steps\":" << recover_steps
       << ",\"mean_region_cells\":" << json_number(double(region_cells) / std::max(1, ctx.count))
       << ",\"region\":{\"before_erase\":{" << quality_fields(qb) << "},\"after_erase\":{" << quality_fields(qe)
       << "},\"damaged\":{" << quality_fields(qd) << "},\"undamaged\":{" << quality_fields(qu) << "}}"
       << ",\"recovered_vs_undamaged\":" << json_number(f_undamaged) << ",\"recovered_vs_undamaged_ci95\":["
       << json_number(ci_undamaged.lo) << "," << json_number(ci_undamaged.hi) << "]"
       << ",\"recovered_vs_before\":" << json_number(f_before) << ",\"recovered_vs_before_ci95\":["
       << json_number(ci_before.lo) << "," << json_number(ci_before.hi) << "]"
       << ",\"whole\":{\"damaged\":{" << quality_fields(wd) << "},\"undamaged\":{" << quality_fields(wu) << "}}"
       << ",\"diverged\":{\"damaged\":" << count_ones(div_damaged) << ",\"undamaged\":" << count_ones(div_undamaged)
       << "}}";
  return {table.str(), json.str()};
}

}  // namespace rrcnn
