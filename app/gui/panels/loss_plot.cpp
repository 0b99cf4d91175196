// The training curve drawn with ImDrawList (ImPlot is not available): loss per step (faint),
// its moving average (bright), both on a log scale with decade grid lines, the learning rate on
// its own log axis at the right, earlier runs' moving averages over it (each in a colour of its
// own, labelled with its config and recipe in the legend), and a hover read-out of the nearest
// step.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "gui/panels/panels.h"
#include "gui/panels/plot_axes.h"
#include "gui/panels/plot_math.h"
#include "gui/panels/theme.h"

namespace rrcnn {

ImVec4 overlay_color(size_t i) {
  // Apart from the live curve's colours (loss, moving average, learning rate).
  static const ImVec4 kColors[] = {
      ImVec4(0.95f, 0.55f, 0.25f, 1), ImVec4(0.45f, 0.85f, 0.45f, 1), ImVec4(0.85f, 0.45f, 0.85f, 1),
      ImVec4(0.95f, 0.85f, 0.30f, 1), ImVec4(0.40f, 0.85f, 0.90f, 1), ImVec4(0.90f, 0.40f, 0.45f, 1)};
  return kColors[i % (sizeof kColors / sizeof kColors[0])];
}

void draw_loss_plot(const LossHistory& history, const TrainSettings& train,
                    const std::string& empty_message, ImVec2 size,
                    const std::vector<RunLog>& overlays) {
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("lossplot", size);
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float font = ImGui::GetFontSize();
  const ImVec2 p1(p0.x + size.x, p0.y + size.y);
  dl->AddRectFilled(p0, p1, IM_COL32(16, 18, 22, 255), 4.0f);
  // Plot area inside the axis labels.
  const ImVec2 a0(p0.x + font * 3.2f, p0.y + font * 0.6f),
      a1(p1.x - font * 3.2f, p1.y - font * 1.6f);
  const auto& pts = history.points();
  bool any_overlay = false;
  for (const RunLog& r : overlays) any_overlay |= !r.points.empty();
  if ((pts.empty() && !any_overlay) || a1.x - a0.x < 20 || a1.y - a0.y < 20) {
    const char* msg = pts.empty() && !any_overlay ? empty_message.c_str() : "(too small to plot)";
    const ImVec2 ts = ImGui::CalcTextSize(msg);
    dl->AddText(ImVec2(p0.x + (size.x - ts.x) / 2, p0.y + (size.y - ts.y) / 2), plot_color(colors::kDim),
                msg);
    return;
  }
  // One loss axis and one step range for the run and every overlay, so they compare.
  std::vector<float> losses, lrs;
  double x_lo = 1e300, x_hi = -1e300;
  for (const TrainPoint& p : pts) {
    losses.push_back(p.loss);
    lrs.push_back(p.lr);
  }
  if (!pts.empty()) {
    x_lo = double(pts.front().step) - 1;
    x_hi = double(pts.back().step);
  }
  for (const RunLog& r : overlays) {
    if (r.points.empty()) continue;
    losses.insert(losses.end(), r.average.begin(), r.average.end());
    x_lo = std::min(x_lo, double(r.points.front().step) - 1);
    x_hi = std::max(x_hi, double(r.points.back().step));
  }
  x_hi = std::max(x_hi, x_lo + 1);
  const LogAxis ly = log_axis_for(losses), lr_axis = log_axis_for(lrs);
  auto X = [&](double step) { return a0.x + float((step - x_lo) / (x_hi - x_lo)) * (a1.x - a0.x); };
  auto Y = [&](double v, const LogAxis& ax) {
    return a1.y - float(log_to_unit(v, ax)) * (a1.y - a0.y);
  };

  // Grid and labels (plot_axes.h): loss ticks left, learning-rate ticks right, steps below.
  draw_log_y_axis(dl, ly, [&](double v) { return Y(v, ly); }, a0, a1, AxisSide::kLeft,
                  plot_color(colors::kDim), true);
  if (!pts.empty())
    draw_log_y_axis(dl, lr_axis, [&](double v) { return Y(v, lr_axis); }, a0, a1,
                    AxisSide::kRight, plot_color(colors::kLr, 0.8f), false);
  draw_step_ticks(dl, x_lo, x_hi, 5, X, a0, a1, plot_color(colors::kDim));
  dl->AddRect(a0, a1, IM_COL32(255, 255, 255, 40));

  // Series, decimated to about two points per pixel.
  const size_t max_points = size_t(std::max(2.0f, (a1.x - a0.x) * 2));
  dl->PushClipRect(a0, a1, true);
  for (size_t k = 0; k < overlays.size(); ++k) {
    const RunLog& r = overlays[k];
    std::vector<ImVec2> line;
    for (size_t i : plot_indices(r.points.size(), max_points))
      line.emplace_back(X(double(r.points[i].step)), Y(r.average[i], ly));
    plot_polyline(dl, line, plot_color(overlay_color(k), 0.9f), 1.6f);
  }
  const std::vector<size_t> idx = plot_indices(pts.size(), max_points);
  std::vector<ImVec2> raw, avg, lr;
  for (size_t i : idx) {
    const float x = X(double(pts[i].step));
    raw.emplace_back(x, Y(pts[i].loss, ly));
    avg.emplace_back(x, Y(history.moving_average()[i], ly));
    lr.emplace_back(x, Y(pts[i].lr, lr_axis));
  }
  plot_polyline(dl, lr, plot_color(colors::kLr, 0.7f), 1.5f);
  plot_polyline(dl, raw, plot_color(colors::kLoss, 0.35f), 1.0f);
  plot_polyline(dl, avg, plot_color(colors::kLossAvg), 2.0f);
  if (train.target_steps > 0 && double(train.target_steps) <= x_hi) {
    const float x = X(double(train.target_steps));
    dl->AddLine(ImVec2(x, a0.y), ImVec2(x, a1.y), IM_COL32(255, 255, 255, 60));
  }

  // Legend: this run's series on one line, then one line per overlay (its config and recipe).
  float lx = a0.x + 8;
  const struct {
    const char* name;
    ImVec4 c;
  } legend[] = {{"loss", colors::kLoss},
                {"moving avg", colors::kLossAvg},
                {"learning rate (right axis)", colors::kLr}};
  if (!pts.empty())
    for (const auto& e : legend) {
      dl->AddLine(ImVec2(lx, a0.y + font * 0.7f), ImVec2(lx + font, a0.y + font * 0.7f), plot_color(e.c),
                  2.0f);
      dl->AddText(ImVec2(lx + font * 1.3f, a0.y + font * 0.15f), plot_color(colors::kText, 0.85f), e.name);
      lx += font * 1.3f + ImGui::CalcTextSize(e.name).x + font;
    }
  float ly0 = a0.y + font * (pts.empty() ? 0.15f : 1.25f);
  for (size_t k = 0; k < overlays.size() && ly0 + font < a1.y; ++k) {
    const std::string text = overlays[k].label;
    const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
    dl->AddRectFilled(ImVec2(a0.x + 4, ly0 - 1), ImVec2(a0.x + font * 1.5f + ts.x + 10, ly0 + ts.y + 1),
                      IM_COL32(16, 18, 22, 190));
    dl->AddLine(ImVec2(a0.x + 8, ly0 + font * 0.55f), ImVec2(a0.x + 8 + font, ly0 + font * 0.55f),
                plot_color(overlay_color(k)), 2.0f);
    dl->AddText(ImVec2(a0.x + 8 + font * 1.3f, ly0), plot_color(overlay_color(k)), text.c_str());
    ly0 += font * 1.1f;
  }
  dl->PopClipRect();

  // Hover: nearest step of this run.
  if (hovered && !pts.empty()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const double step = x_lo + double(m.x - a0.x) / double(a1.x - a0.x) * (x_hi - x_lo);
    std::vector<double> xs(pts.size());
    for (size_t i = 0; i < pts.size(); ++i) xs[i] = double(pts[i].step);
    const long i = nearest_index(xs, step);
    if (i >= 0) {
      const TrainPoint& p = pts[size_t(i)];
      const float x = X(double(p.step));
      dl->AddLine(ImVec2(x, a0.y), ImVec2(x, a1.y), IM_COL32(255, 255, 255, 90));
      dl->AddCircleFilled(ImVec2(x, Y(history.moving_average()[size_t(i)], ly)), 3.5f,
                          plot_color(colors::kLossAvg));
      ImGui::SetTooltip(
          "step %lld\nloss %.5f\nmoving avg %.5f (%d steps)\nlearning rate %.2e\ngrad norm %.3f",
          (long long)p.step, double(p.loss), double(history.moving_average()[size_t(i)]),
          history.window(), double(p.lr), double(p.grad_norm));
    }
  }
}

}  // namespace rrcnn
