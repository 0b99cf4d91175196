// `rrcnn eval --baselines`: the model next to classic denoisers on the same noisy held-out
// digits (same noise draws for every method): the noisy input itself, the mean training digit,
// a Gaussian blur and a median filter whose parameters are chosen on noisy TRAINING digits
// (never on the held-out targets), at noise levels 0.25, 0.5, 0.75 and random per digit; the
// model after one and two training horizons, with dropout on and off.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "cli/eval_parts.h"
#include "core/baselines.h"
#include "core/noise.h"

namespace rrcnn {
namespace {

struct Method {
  std::string key, label;
  double param = 0;  // sigma or window for the filters
  int steps = 0;     // model rows
  float dropout = 0;
  std::vector<double> mse;
  std::vector<uint8_t> diverged;
  bool model() const { return key == "model"; }
};

struct Tuning {
  ParameterChoice sigma, window;
};

// Filter parameters minimising the mean MSE on the first `count` training digits, noised at
// `alpha` with draws disjoint from the held-out ones.
Tuning tune_filters(const EvalContext& ctx, float alpha, int count) {
  const Dataset& train = ctx.data.train;
  const int h = train.height, w = train.width, px = h * w;
  count = std::min(count, train.count());
  std::vector<float> clean(size_t(count) * px), noisy(clean.size());
  std::copy(train.images.begin(), train.images.begin() + clean.size(), clean.begin());
  const int chunk = 500;
  for (int start = 0; start < count; start += chunk) {
    const int b = std::min(chunk, count - start);
    make_noisy_batch(clean.data() + size_t(start) * px, b, px, alpha, ctx.seed,
                     tuning_episode(alpha, start), noisy.data() + size_t(start) * px);
  }
  const auto loss_of = [&](const ImageFilter& f) {
    const std::vector<float> out = filter_batch(noisy, h, w, f);
    return clipped_mse(out.data(), clean.data(), clean.size());
  };
  Tuning t;
  t.sigma = choose_parameter(blur_sigma_candidates(), [&](float s) {
    return loss_of([&](const float* in, float* o) { gaussian_blur(in, h, w, s, o); });
  });
  t.window = choose_parameter(median_window_candidates(), [&](float k) {
    return loss_of([&](const float* in, float* o) { median_filter(in, h, w, int(k), o); });
  });
  return t;
}

std::vector<Method> run_level(const EvalContext& ctx, float alpha, const Tuning& tuning,
                              const std::vector<float>& mean_digit) {
  const int h = ctx.ck.config.height, w = ctx.ck.config.width, px = h * w;
  const int horizon = ctx.ck.config.rollout_steps;
  std::vector<float> rates = {ctx.dropout};
  if (ctx.dropout > 0) rates.push_back(0.0f);
  std::vector<Method> m(4);
  m[0].key = "noisy", m[0].label = "noisy input";
  m[1].key = "mean_digit", m[1].label = "mean training image";
  m[2].key = "blur", m[2].param = tuning.sigma.value;
  m[3].key = "median", m[3].param = tuning.window.value;
  char buf[96];
  std::snprintf(buf, sizeof buf, "Gaussian blur (sigma %.2f)", tuning.sigma.value);
  m[2].label = buf;
  const int k = int(tuning.window.value);
  std::snprintf(buf, sizeof buf, "median filter (%dx%d)", k, k);
  m[3].label = buf;
  for (int mult : {1, 2})
    for (float r : rates) {
      Method row;
      row.key = "model", row.steps = mult * horizon, row.dropout = r;
      std::snprintf(buf, sizeof buf, "model, %d steps, dropout %g", row.steps, r);
      row.label = buf;
      m.push_back(row);
    }
  const ImageFilter blur = [&](const float* in, float* o) { gaussian_blur(in, h, w, tuning.sigma.value, o); };
  const ImageFilter median = [&](const float* in, float* o) { median_filter(in, h, w, k, o); };
  for_each_test_batch(ctx, [&](int start, int b, const std::vector<float>& clean) {
    note_progress("baselines, alpha " + level_label(alpha), start, ctx.count);
    start_rollout(ctx, clean, b, alpha, start, rates[0]);
    const std::vector<float> noisy = ctx.backend.image();
    std::vector<float> mean_batch(clean.size());
    for (int i = 0; i < b; ++i) std::copy(mean_digit.begin(), mean_digit.end(), mean_batch.begin() + size_t(i) * px);
    const auto add = [&](Method& row, const std::vector<float>& img) {
      const auto s = per_sample_mse(img.data(), clean.data(), b, px);
      row.mse.insert(row.mse.end(), s.begin(), s.end());
    };
    add(m[0], noisy);
    add(m[1], mean_batch);
    add(m[2], filter_batch(noisy, h, w, blur));
    add(m[3], filter_batch(noisy, h, w, median));
    for (size_t ri = 0; ri < rates.size(); ++ri) {
      if (ri > 0) start_rollout(ctx, clean, b, alpha, start, rates[ri]);  // same noise, same masks
      for (int mult : {1, 2}) {
        ctx.backend.step(horizon);
        Method& row = m[4 + (mult - 1) * rates.size() + ri];
        score_backend(ctx, clean, b, &row.mse, &row.diverged);
      }
    }
  });
  note_progress("baselines", ctx.count, ctx.count);
  return m;
}

int count_diverged(const std::vector<uint8_t>& d) {
  int n = 0;
  for (uint8_t v : d) n += v;
  return n;
}

}  // namespace

EvalReport eval_baselines(const EvalContext& ctx, int tune_count) {
  const Dataset& train = ctx.data.train;
  RRCNN_CHECK(train.count() > 0, "rrcnn eval --baselines: the data has no training split ("
                                     << train.source << ")");
  const std::vector<float> mean_digit = mean_image(train.images.data(), train.count(), train.height * train.width);
  const std::vector<float> levels = {0.25f, 0.5f, 0.75f, kRandomAlpha};
  std::ostringstream table, json, summary;
  table << "Baselines on " << ctx.count << " held-out digits (noise seed " << ctx.seed
        << "); filter parameters chosen on " << std::min(tune_count, train.count())
        << " noisy training digits, never on the held-out targets.\n"
        << "PSNR is that of the mean MSE; [ ] is the 95% interval over the digits.\n";
  json << "{\"tuning_digits\":" << std::min(tune_count, train.count()) << ",\"levels\":[";
  summary << "\nPSNR (dB) per method (mN/dR: the model after N steps with dropout R):\n"
          << "alpha       noisy mean-digit      blur    median";
  bool header_done = false;
  for (size_t li = 0; li < levels.size(); ++li) {
    const float alpha = levels[li];
    const Tuning tuning = tune_filters(ctx, alpha, tune_count);
    const std::vector<Method> rows = run_level(ctx, alpha, tuning, mean_digit);
    if (!header_done) {
      for (size_t i = 4; i < rows.size(); ++i) {
        char buf[40];
        std::snprintf(buf, sizeof buf, " %9s", ("m" + std::to_string(rows[i].steps) + "/d" + level_json(rows[i].dropout)).c_str());
        summary << buf;
      }
      summary << "\n";
      header_done = true;
    }
    char buf[160];
    std::snprintf(buf, sizeof buf, "\nalpha %-6s %-34s %-28s %-22s %s\n", level_label(alpha).c_str(),
                  "method", "MSE [95% interval]", "PSNR dB [95% interval]", "diverged");
    table << buf;
    std::snprintf(buf, sizeof buf, "%-6s", level_label(alpha).c_str());
    summary << buf;
    json << (li ? "," : "") << "{\"alpha\":" << level_json(alpha) << ",\"blur_sigma\":" << tuning.sigma.value
         << ",\"median_window\":" << tuning.window.value << ",\"methods\":[";
    for (size_t i = 0; i < rows.size(); ++i) {
      const Method& r = rows[i];
      const QualitySummary q = summarize_quality(r.mse);
      const std::string div = r.model() ? std::to_string(count_diverged(r.diverged)) : "";
      std::snprintf(buf, sizeof buf, "             %-34s %-28s %-22s %s\n", r.label.c_str(), mse_cell(q).c_str(),
                    psnr_cell(q).c_str(), div.c_str());
      table << buf;
      std::snprintf(buf, sizeof buf, " %9.2f", q.psnr);
      summary << buf;
      json << (i ? "," : "") << "{\"method\":\"" << r.key << "\",\"label\":\"" << r.label << "\",";
      if (r.key == "blur" || r.key == "median") json << "\"param\":" << r.param << ",";
      if (r.model()) json << "\"steps\":" << r.steps << ",\"dropout\":" << r.dropout << ",\"diverged\":" << div << ",";
      json << quality_fields(q) << "}";
    }
    summary << "\n";
    json << "]}";
  }
  json << "]}";
  return {table.str() + summary.str(), json.str()};
}

}  // namespace rrcnn
