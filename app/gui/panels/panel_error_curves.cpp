// The per-step error curves under the live cards, drawn with ImDrawList like the loss plot: the
// clipped MSE against the clean target after every step of the rollout (log axis; PSNR on a
// linear dB axis with the toggle), one thin line per digit (the hovered card's, or the selected
// digit's, bold), the batch mean bright, the fork's original dashed beside the branch, the
// dropout rollouts' mean +- std band, and marks at the shown step, the fork and the model's
// training horizon. The values are the timeline's (per_sample_mse, as `rrcnn eval --per-step`).
// With A/B on, B's batch mean (and the hovered digit's) from B's own timeline, in its colour.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "core/metrics.h"
#include "gui/panels/plot_axes.h"
#include "gui/panels/plot_math.h"
#include "gui/panels/theme.h"
#include "gui/panels/timeline_panels.h"

namespace rrcnn {
namespace {

void dashed(ImDrawList* dl, const std::vector<ImVec2>& pts, ImU32 color, float thickness) {
  for (size_t i = 1; i < pts.size(); i += 2) dl->AddLine(pts[i - 1], pts[i], color, thickness);
}

double batch_mean(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m += x;
  return v.empty() ? 0 : m / double(v.size());
}

}  // namespace

// B's curves (A/B): cyan, apart from A's amber mean and the digits' hues.
const ImVec4 kBCurve{0.35f, 0.85f, 0.95f, 1.0f};

ImVec4 digit_curve_color(int b, int count) {
  // Hues spread around the wheel, muted so the batch mean stays the brightest line.
  const float h = count > 0 ? float(b) / float(std::max(count, 1)) : 0.0f;
  float r, g, bl;
  ImGui::ColorConvertHSVtoRGB(h, 0.55f, 0.95f, r, g, bl);
  return ImVec4(r, g, bl, 1.0f);
}

void draw_error_curves(const StudioState& s, const UiScratch& ui, Commands& out, ImVec2 size) {
  const TimelineUi& tl = s.tl;
  const bool psnr = tl.view.psnr;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("errorcurves", size);
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemActive() && ImGui::IsMouseDown(ImGuiMouseButton_Left);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float font = ImGui::GetFontSize();
  const ImVec2 p1(p0.x + size.x, p0.y + size.y);
  dl->AddRectFilled(p0, p1, IM_COL32(16, 18, 22, 255), 4.0f);
  const bool band = tl.mc_ready && !tl.mc_stale && !tl.mc_result.band_mean.empty();
  const ImVec2 a0(p0.x + font * 3.4f, p0.y + font * (band ? 2.7f : 1.5f)),
      a1(p1.x - font * 0.8f, p1.y - font * 1.5f);
  auto centred = [&](const char* msg) {
    const ImVec2 ts = ImGui::CalcTextSize(msg);
    dl->AddText(ImVec2(p0.x + (size.x - ts.x) / 2, p0.y + (size.y - ts.y) / 2),
                plot_color(colors::kDim), msg);
  };
  if (!tl.info.enabled) return centred("Timeline off (View > Timeline): no per-step record to plot.");
  if (!s.snap.has_target)
    return centred("Blank canvas: no target to score against, so no error curve. "
                   "Add noise (A) makes the drawing the target.");
  const TimelineCurve& c = tl.curve;
  if (c.mse.empty() || c.mse.back().empty() || a1.x - a0.x < 30 || a1.y - a0.y < 20)
    return centred(c.mse.empty() ? "no steps yet" : "(too small to plot)");
  const int B = int(c.mse.back().size());

  // Axes: steps from the rollout's first to the furthest of the newest step, the horizon, the
  // original and the dropout run; values over everything drawn.
  double x_lo = double(c.first), x_hi = double(c.last());
  if (!tl.original.mse.empty()) x_hi = std::max(x_hi, double(tl.original.last()));
  if (band) x_hi = std::max(x_hi, double(tl.mc_result.band_mean.size() - 1));
  if (tl.horizon > 0 && tl.horizon < x_hi * 4 + 8) x_hi = std::max(x_hi, double(tl.horizon));
  if (x_hi <= x_lo) x_hi = x_lo + 1;
  std::vector<float> all;
  auto gather = [&](const TimelineCurve& cu) {
    for (const auto& row : cu.mse)
      for (double v : row) all.push_back(float(v));
  };
  gather(c);
  gather(tl.original);
  const bool ab = s.ab.on() && !s.ab.curve.mse.empty();
  if (ab) {
    gather(s.ab.curve);
    x_hi = std::max(x_hi, double(s.ab.curve.last()));
  }
  if (band)
    for (size_t t = 0; t < tl.mc_result.band_mean.size(); ++t) {
      all.push_back(float(tl.mc_result.band_mean[t] + tl.mc_result.band_sd[t]));
      all.push_back(float(std::max(tl.mc_result.band_mean[t] - tl.mc_result.band_sd[t], 1e-6)));
    }
  const LogAxis ly = log_axis_for(all);
  double p_lo = 1e9, p_hi = -1e9;
  for (float v : all)
    if (v > 0 && std::isfinite(v)) {
      p_lo = std::min(p_lo, psnr_from_mse(v));
      p_hi = std::max(p_hi, psnr_from_mse(v));
    }
  if (p_hi <= p_lo) p_hi = p_lo + 1;
  p_lo = std::floor(p_lo - 0.5);
  p_hi = std::ceil(p_hi + 0.5);
  auto X = [&](double step) { return a0.x + float((step - x_lo) / (x_hi - x_lo)) * (a1.x - a0.x); };
  auto Y = [&](double mse) {
    const double u = psnr ? (psnr_from_mse(mse) - p_lo) / (p_hi - p_lo) : log_to_unit(mse, ly);
    return a1.y - float(std::clamp(u, 0.0, 1.0)) * (a1.y - a0.y);
  };

  // Grid and labels (plot_axes.h, as the loss plot's).
  const auto y_of = [&](double v) { return Y(v); };
  if (psnr) {
    std::vector<double> ticks;
    std::vector<std::string> labels;
    char tick[32];
    for (double v : linear_ticks(p_lo, p_hi, 4)) {
      ticks.push_back(v);
      std::snprintf(tick, sizeof tick, "%.0f dB", v);
      labels.push_back(tick);
    }
    // PSNR ticks are dB values: placed on the dB axis, not through the MSE mapping.
    draw_y_ticks(dl, ticks, labels,
                 [&](double v) { return a1.y - float((v - p_lo) / (p_hi - p_lo)) * (a1.y - a0.y); },
                 a0, a1, AxisSide::kLeft, plot_color(colors::kDim), true);
  } else {
    draw_log_y_axis(dl, ly, y_of, a0, a1, AxisSide::kLeft, plot_color(colors::kDim), true);
  }
  draw_step_ticks(dl, x_lo, x_hi, 6, [&](double step) { return X(step); }, a0, a1,
                  plot_color(colors::kDim));
  char buf[128];
  dl->AddRect(a0, a1, IM_COL32(255, 255, 255, 40));

  dl->PushClipRect(a0, a1, true);
  // One point per two pixel columns: the curves look the same and llvmpipe rasterises half the
  // anti-aliased segments (the plot is redrawn every step while playing).
  const size_t max_pts = size_t(std::max(2.0f, (a1.x - a0.x) * 0.5f));
  // The dropout band under everything.
  if (band) {
    const auto& m = tl.mc_result.band_mean;
    const auto& sd = tl.mc_result.band_sd;
    const std::vector<size_t> idx = plot_indices(m.size(), max_pts);
    for (size_t j = 1; j < idx.size(); ++j) {
      const size_t i0 = idx[j - 1], i1 = idx[j];
      const float xa = X(double(i0)), xb = X(double(i1));
      const float ya0 = Y(m[i0] + sd[i0]), ya1 = Y(std::max(m[i0] - sd[i0], 1e-9));
      const float yb0 = Y(m[i1] + sd[i1]), yb1 = Y(std::max(m[i1] - sd[i1], 1e-9));
      dl->AddQuadFilled(ImVec2(xa, ya0), ImVec2(xb, yb0), ImVec2(xb, yb1), ImVec2(xa, ya1),
                        plot_color(colors::kLr, 0.3f));
      dl->AddLine(ImVec2(xa, ya0), ImVec2(xb, yb0), plot_color(colors::kLr, 0.6f), 1.0f);
      dl->AddLine(ImVec2(xa, ya1), ImVec2(xb, yb1), plot_color(colors::kLr, 0.6f), 1.0f);
    }
    std::vector<ImVec2> line;
    for (size_t i : idx) line.emplace_back(X(double(i)), Y(m[i]));
    dashed(dl, line, plot_color(colors::kLr, 0.9f), 1.5f);
  }
  // Marks: horizon, fork, shown step.
  auto vline = [&](double step, ImU32 color, float thick) {
    if (step < x_lo || step > x_hi) return;
    dl->AddLine(ImVec2(X(step), a0.y), ImVec2(X(step), a1.y), color, thick);
  };
  if (tl.horizon > 0) vline(tl.horizon, IM_COL32(255, 255, 255, 70), 1.0f);
  if (tl.info.forked) vline(double(tl.info.fork_step), plot_color(colors::kWarn, 0.6f), 1.0f);
  vline(double(tl.shown_step), plot_color(colors::kAccent, 0.9f), 1.5f);

  const int focus = ui.live.hover_card >= 0 ? ui.live.hover_card : -1;
  auto series = [&](const TimelineCurve& cu, int b, std::vector<ImVec2>* pts) {
    pts->clear();
    const std::vector<size_t> idx = plot_indices(cu.mse.size(), max_pts);
    for (size_t i : idx) {
      const auto& row = cu.mse[i];
      if (row.empty()) continue;
      const double v = b < 0 ? batch_mean(row) : (size_t(b) < row.size() ? row[size_t(b)] : 0.0);
      pts->emplace_back(X(double(cu.first + int64_t(i))), Y(v));
    }
  };
  std::vector<ImVec2> pts;
  // The fork's original: dashed, under the branch.
  if (!tl.original.mse.empty()) {
    series(tl.original, -1, &pts);
    dashed(dl, pts, plot_color(colors::kText, 0.75f), 2.0f);
    if (focus >= 0) {
      series(tl.original, focus, &pts);
      dashed(dl, pts, plot_color(digit_curve_color(focus, B), 0.9f), 2.0f);
    }
  }
  for (int b = 0; b < B; ++b) {
    if (b == focus) continue;
    series(c, b, &pts);
    plot_polyline(dl, pts, plot_color(digit_curve_color(b, B), focus >= 0 ? 0.25f : 0.55f), 1.0f);
  }
  series(c, -1, &pts);
  plot_polyline(dl, pts, plot_color(colors::kLossAvg), 2.5f);
  if (focus >= 0) {
    series(c, focus, &pts);
    plot_polyline(dl, pts, plot_color(digit_curve_color(focus, B)), 3.0f);
  }
  if (ab) {  // B: its mean solid, the hovered digit's dashed in B's colour
    series(s.ab.curve, -1, &pts);
    plot_polyline(dl, pts, plot_color(kBCurve), 2.5f);
    if (focus >= 0) {
      series(s.ab.curve, focus, &pts);
      dashed(dl, pts, plot_color(kBCurve, 0.9f), 2.0f);
    }
  }
  dl->PopClipRect();

  // Legend (top line).
  float lx = p0.x + font * 0.6f;
  const float ly0 = p0.y + font * 0.2f;
  auto legend = [&](const char* name, ImU32 color, bool dash) {
    if (dash) {
      dl->AddLine(ImVec2(lx, ly0 + font * 0.55f), ImVec2(lx + font * 0.4f, ly0 + font * 0.55f), color, 2);
      dl->AddLine(ImVec2(lx + font * 0.7f, ly0 + font * 0.55f), ImVec2(lx + font, ly0 + font * 0.55f), color, 2);
    } else {
      dl->AddLine(ImVec2(lx, ly0 + font * 0.55f), ImVec2(lx + font, ly0 + font * 0.55f), color, 2.5f);
    }
    dl->AddText(ImVec2(lx + font * 1.3f, ly0), plot_color(colors::kText, 0.85f), name);
    lx += font * 1.3f + ImGui::CalcTextSize(name).x + font;
  };
  legend(ab ? (psnr ? "A mean PSNR" : "A mean MSE") : psnr ? "batch mean PSNR" : "batch mean MSE",
         plot_color(colors::kLossAvg), false);
  if (ab) legend(("B mean (" + s.ab.b_name + ")").c_str(), plot_color(kBCurve), false);
  if (focus >= 0) {
    std::snprintf(buf, sizeof buf, "digit #%d", focus);
    legend(buf, plot_color(digit_curve_color(focus, B)), false);
  } else {
    legend("digits (hover a card)", plot_color(digit_curve_color(0, B), 0.7f), false);
  }
  if (!tl.original.mse.empty()) legend("original (fork)", plot_color(colors::kText, 0.75f), true);
  if (band) {
    const McResult& r = tl.mc_result;
    std::snprintf(buf, sizeof buf, "dropout mean \xc2\xb1 std (K=%d)", r.k);
    legend(buf, plot_color(colors::kLr), true);
    // The second legend line: what averaging the K rollouts buys, and whether the spread
    // points at the errors.
    std::snprintf(buf, sizeof buf,
                  "after %d steps: single rollout MSE %.4f (%.1f dB), mean of K images %.4f (%.1f dB), "
                  "corr(std, |error|) %.2f",
                  r.steps, r.single_mean, psnr_from_mse(r.single_mean), r.kmean_mean,
                  psnr_from_mse(r.kmean_mean), r.std_error_corr);
    dl->AddText(ImVec2(p0.x + font * 0.6f, p0.y + font * 1.35f), plot_color(colors::kLr), buf);
  }
  if (tl.horizon > 0 && tl.horizon <= x_hi) {
    std::snprintf(buf, sizeof buf, "horizon %d", tl.horizon);
    dl->AddText(ImVec2(std::min(X(tl.horizon) + 3, a1.x - ImGui::CalcTextSize(buf).x), a1.y - font * 1.1f),
                plot_color(colors::kDim), buf);
  }

  // Hover: the values at the nearest step; click or drag: show that step.
  if (hovered || clicked) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const double xs = x_lo + double(m.x - a0.x) / double(a1.x - a0.x) * (x_hi - x_lo);
    const int64_t step = int64_t(std::llround(std::clamp(xs, x_lo, x_hi)));
    if (clicked && tl.info.enabled && !tl.info.empty) {
      Command cmd{Cmd::kTimelineSeek};
      cmd.n = int(std::clamp(step, tl.info.first, tl.info.last));
      if (cmd.n != tl.shown_step) out.push(cmd);
    }
    if (hovered && c.has(step) && !c.mse[size_t(step - c.first)].empty()) {
      const auto& row = c.mse[size_t(step - c.first)];
      const double mean = batch_mean(row);
      dl->AddLine(ImVec2(X(double(step)), a0.y), ImVec2(X(double(step)), a1.y), IM_COL32(255, 255, 255, 90));
      std::string text;
      std::snprintf(buf, sizeof buf, "step %lld: batch mean MSE %.5f (%.2f dB)", (long long)step, mean,
                    psnr_from_mse(mean));
      text = buf;
      if (focus >= 0 && size_t(focus) < row.size()) {
        std::snprintf(buf, sizeof buf, "\ndigit #%d: MSE %.5f (%.2f dB)", focus, row[size_t(focus)],
                      psnr_from_mse(row[size_t(focus)]));
        text += buf;
      }
      if (tl.original.has(step) && !tl.original.mse[size_t(step - tl.original.first)].empty()) {
        const double om = batch_mean(tl.original.mse[size_t(step - tl.original.first)]);
        std::snprintf(buf, sizeof buf, "\noriginal: MSE %.5f (%.2f dB)", om, psnr_from_mse(om));
        text += buf;
      }
      if (ab && s.ab.curve.has(step) && !s.ab.curve.mse[size_t(step - s.ab.curve.first)].empty()) {
        const auto& brow = s.ab.curve.mse[size_t(step - s.ab.curve.first)];
        const double bm = batch_mean(brow);
        std::snprintf(buf, sizeof buf, "\nB: batch mean MSE %.5f (%.2f dB)", bm, psnr_from_mse(bm));
        text += buf;
        if (focus >= 0 && size_t(focus) < brow.size()) {
          std::snprintf(buf, sizeof buf, "\nB digit #%d: MSE %.5f (%.2f dB)", focus,
                        brow[size_t(focus)], psnr_from_mse(brow[size_t(focus)]));
          text += buf;
        }
      }
      if (band && size_t(step) < tl.mc_result.band_mean.size()) {
        std::snprintf(buf, sizeof buf, "\ndropout rollouts: MSE %.5f \xc2\xb1 %.5f",
                      tl.mc_result.band_mean[size_t(step)], tl.mc_result.band_sd[size_t(step)]);
        text += buf;
      }
      text += "\nclick: show this step";
      ImGui::SetTooltip("%s", text.c_str());
    }
  }
}

}  // namespace rrcnn
