// Shared pieces of `rrcnn eval` (see eval_common.h).
#include "cli/eval_common.h"

#include <algorithm>
#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace rrcnn {

uint32_t noise_episode(float alpha, int start) {
  uint32_t level;
  if (alpha < 0) {
    level = 3;
  } else if (alpha == 0.25f || alpha == 0.5f || alpha == 0.75f) {
    level = uint32_t(alpha * 4) - 1;  // 0, 1, 2: the plain eval's default list
  } else {
    level = 4 + uint32_t(std::lround(alpha * 1000));
  }
  return level * 1000003u + uint32_t(start);
}

std::string level_label(float alpha) {
  if (alpha < 0) return "random";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", alpha);
  return buf;
}

std::string level_json(float alpha) {
  if (alpha < 0) return "\"random\"";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", alpha);
  return buf;
}

void for_each_test_batch(const EvalContext& ctx,
                         const std::function<void(int start, int b, const std::vector<float>& clean)>& fn) {
  for (int start = 0; start < ctx.count; start += ctx.batch) {
    const int b = std::min(ctx.batch, ctx.count - start);
    std::vector<int> idx(b);
    for (int i = 0; i < b; ++i) idx[i] = start + i;
    fn(start, b, gather_batch(ctx.data.test, idx));
  }
}

void start_rollout(const EvalContext& ctx, const std::vector<float>& clean, int b, float alpha,
                   int start, float dropout) {
  ctx.backend.set_live_dropout(dropout);
  ctx.backend.reset(clean, b, alpha, ctx.seed, noise_episode(alpha, start));
}

void score_backend(const EvalContext& ctx, const std::vector<float>& clean, int b,
                   std::vector<double>* mse, std::vector<uint8_t>* diverged) {
  const int cells = ctx.ck.config.cells();
  if (mse) {
    const std::vector<float> img = ctx.backend.image();
    const auto m = per_sample_mse(img.data(), clean.data(), b, cells);
    mse->insert(mse->end(), m.begin(), m.end());
  }
  if (diverged) {
    const std::vector<float> s = ctx.backend.state();
    const auto d = diverged_samples(s.data(), b, size_t(cells) * ctx.ck.config.channels);
    diverged->insert(diverged->end(), d.begin(), d.end());
  }
}

std::string psnr_cell(const QualitySummary& q) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%6.2f [%5.2f, %5.2f]", q.psnr, q.psnr_lo, q.psnr_hi);
  return buf;
}

std::string mse_cell(const QualitySummary& q) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.5f [%.5f, %.5f]", q.mse, q.mse_lo, q.mse_hi);
  return buf;
}

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string quality_fields(const QualitySummary& q) {
  return "\"mse\":" + json_number(q.mse) + ",\"mse_ci95\":[" + json_number(q.mse_lo) + "," +
         json_number(q.mse_hi) + "],\"psnr\":" + json_number(q.psnr) + ",\"psnr_ci95\":[" +
         json_number(q.psnr_lo) + "," + json_number(q.psnr_hi) + "],\"digit_psnr\":" +
         json_number(q.digit_psnr) + ",\"digit_psnr_ci95\":" + json_number(q.digit_psnr_ci95);
}

void note_progress(const std::string& what, int done, int total) {
  static const bool tty = isatty(2) != 0;
  if (!tty) return;
  std::fprintf(stderr, "\r\033[K%s: %d/%d digits", what.c_str(), done, total);
  if (done >= total) std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
}

}  // namespace rrcnn
