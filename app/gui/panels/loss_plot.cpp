// The training curve drawn with ImDrawList (ImPlot is not available): loss per step (faint),
// its moving average (bright), both on a log scale with decade grid lines, the learning rate on
// its own log axis at the right, and a hover read-out of the nearest step.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "gui/panels/panels.h"
#include "gui/panels/plot_math.h"
#include "gui/panels/theme.h"

namespace rrcnn {
namespace {

ImU32 col(ImVec4 c, float alpha = 1.0f) {
  return ImGui::GetColorU32(ImVec4(c.x, c.y, c.z, c.w * alpha));
}

void polyline(ImDrawList* dl, const std::vector<ImVec2>& pts, ImU32 color, float thickness) {
  if (pts.size() >= 2) dl->AddPolyline(pts.data(), int(pts.size()), color, 0, thickness);
}

}  // namespace

void draw_loss_plot(const LossHistory& history, const TrainSettings& train,
                    const std::string& empty_message, ImVec2 size) {
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
  if (pts.empty() || a1.x - a0.x < 20 || a1.y - a0.y < 20) {
    const char* msg = pts.empty() ? empty_message.c_str() : "(too small to plot)";
    const ImVec2 ts = ImGui::CalcTextSize(msg);
    dl->AddText(ImVec2(p0.x + (size.x - ts.x) / 2, p0.y + (size.y - ts.y) / 2), col(colors::kDim),
                msg);
    return;
  }
  std::vector<float> losses(pts.size()), lrs(pts.size());
  for (size_t i = 0; i < pts.size(); ++i) {
    losses[i] = pts[i].loss;
    lrs[i] = pts[i].lr;
  }
  const LogAxis ly = log_axis_for(losses), lr_axis = log_axis_for(lrs);
  const double x_lo = double(pts.front().step) - 1,
               x_hi = std::max(double(pts.back().step), x_lo + 1);
  auto X = [&](double step) { return a0.x + float((step - x_lo) / (x_hi - x_lo)) * (a1.x - a0.x); };
  auto Y = [&](double v, const LogAxis& ax) {
    return a1.y - float(log_to_unit(v, ax)) * (a1.y - a0.y);
  };

  // Grid and labels: loss ticks left, learning-rate ticks right, steps below; every axis gets
  // at least two distinct labels, thinned so they never overlap.
  const float min_gap = font * 1.1f;
  const std::vector<double> loss_ticks = log_ticks_at_least(ly);
  const std::vector<std::string> loss_labels = tick_labels(loss_ticks);
  float last_y = 1e9f;
  for (size_t i = 0; i < loss_ticks.size(); ++i) {
    const float y = Y(loss_ticks[i], ly);
    dl->AddLine(ImVec2(a0.x, y), ImVec2(a1.x, y), IM_COL32(255, 255, 255, 18));
    if (std::fabs(last_y - y) < min_gap) continue;
    last_y = y;
    const char* s = loss_labels[i].c_str();
    dl->AddText(ImVec2(a0.x - ImGui::CalcTextSize(s).x - 4, y - font * 0.5f), col(colors::kDim), s);
  }
  const std::vector<double> lr_ticks = log_ticks_at_least(lr_axis);
  const std::vector<std::string> lr_labels = tick_labels(lr_ticks);
  last_y = 1e9f;
  for (size_t i = 0; i < lr_ticks.size(); ++i) {
    const float y = Y(lr_ticks[i], lr_axis);
    if (std::fabs(last_y - y) < min_gap) continue;
    last_y = y;
    dl->AddLine(ImVec2(a1.x - 3, y), ImVec2(a1.x, y), col(colors::kLr, 0.6f));
    dl->AddText(ImVec2(a1.x + 4, y - font * 0.5f), col(colors::kLr, 0.8f), lr_labels[i].c_str());
  }
  char buf[96];
  float last_x = -1e9f;
  for (double step : integer_ticks(x_lo, x_hi, 5)) {
    std::snprintf(buf, sizeof buf, "%.0f", step);
    const float w = ImGui::CalcTextSize(buf).x;
    const float x = std::clamp(X(step) - w / 2, a0.x, a1.x - w);
    if (x < last_x + font * 0.6f) continue;
    last_x = x + w;
    dl->AddLine(ImVec2(X(step), a1.y), ImVec2(X(step), a1.y + 3), IM_COL32(255, 255, 255, 60));
    dl->AddText(ImVec2(x, a1.y + 3), col(colors::kDim), buf);
  }
  dl->AddRect(a0, a1, IM_COL32(255, 255, 255, 40));

  // Series, decimated to about two points per pixel.
  dl->PushClipRect(a0, a1, true);
  const std::vector<size_t> idx =
      plot_indices(pts.size(), size_t(std::max(2.0f, (a1.x - a0.x) * 2)));
  std::vector<ImVec2> raw, avg, lr;
  for (size_t i : idx) {
    const float x = X(double(pts[i].step));
    raw.emplace_back(x, Y(pts[i].loss, ly));
    avg.emplace_back(x, Y(history.moving_average()[i], ly));
    lr.emplace_back(x, Y(pts[i].lr, lr_axis));
  }
  polyline(dl, lr, col(colors::kLr, 0.7f), 1.5f);
  polyline(dl, raw, col(colors::kLoss, 0.35f), 1.0f);
  polyline(dl, avg, col(colors::kLossAvg), 2.0f);
  if (train.target_steps > 0 && double(train.target_steps) <= x_hi) {
    const float x = X(double(train.target_steps));
    dl->AddLine(ImVec2(x, a0.y), ImVec2(x, a1.y), IM_COL32(255, 255, 255, 60));
  }
  dl->PopClipRect();

  // Legend.
  float lx = a0.x + 8;
  const struct {
    const char* name;
    ImVec4 c;
  } legend[] = {{"loss", colors::kLoss},
                {"moving avg", colors::kLossAvg},
                {"learning rate (right axis)", colors::kLr}};
  for (const auto& e : legend) {
    dl->AddLine(ImVec2(lx, a0.y + font * 0.7f), ImVec2(lx + font, a0.y + font * 0.7f), col(e.c),
                2.0f);
    dl->AddText(ImVec2(lx + font * 1.3f, a0.y + font * 0.15f), col(colors::kText, 0.85f), e.name);
    lx += font * 1.3f + ImGui::CalcTextSize(e.name).x + font;
  }

  // Hover: nearest step.
  if (hovered) {
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
                          col(colors::kLossAvg));
      ImGui::SetTooltip(
          "step %lld\nloss %.5f\nmoving avg %.5f (%d steps)\nlearning rate %.2e\ngrad norm %.3f",
          (long long)p.step, double(p.loss), double(history.moving_average()[size_t(i)]),
          history.window(), double(p.lr), double(p.grad_norm));
    }
  }
}

}  // namespace rrcnn
