// Shared axis drawing (see plot_axes.h).
#include "gui/panels/plot_axes.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rrcnn {

void draw_y_ticks(ImDrawList* dl, const std::vector<double>& ticks,
                  const std::vector<std::string>& labels, const std::function<float(double)>& y_of,
                  ImVec2 a0, ImVec2 a1, AxisSide side, ImU32 label_color, bool grid) {
  const float font = ImGui::GetFontSize();
  const float min_gap = font * 1.1f;
  float last_y = 1e9f;
  for (size_t i = 0; i < ticks.size() && i < labels.size(); ++i) {
    const float y = y_of(ticks[i]);
    if (grid) dl->AddLine(ImVec2(a0.x, y), ImVec2(a1.x, y), IM_COL32(255, 255, 255, 18));
    if (std::fabs(last_y - y) < min_gap) continue;
    last_y = y;
    const char* s = labels[i].c_str();
    if (side == AxisSide::kLeft) {
      if (!grid) dl->AddLine(ImVec2(a0.x, y), ImVec2(a0.x + 3, y), label_color);
      dl->AddText(ImVec2(a0.x - ImGui::CalcTextSize(s).x - 4, y - font * 0.5f), label_color, s);
    } else {
      if (!grid) dl->AddLine(ImVec2(a1.x - 3, y), ImVec2(a1.x, y), label_color);
      dl->AddText(ImVec2(a1.x + 4, y - font * 0.5f), label_color, s);
    }
  }
}

void draw_log_y_axis(ImDrawList* dl, const LogAxis& axis, const std::function<float(double)>& y_of,
                     ImVec2 a0, ImVec2 a1, AxisSide side, ImU32 label_color, bool grid) {
  const std::vector<double> ticks = log_ticks_at_least(axis);
  draw_y_ticks(dl, ticks, tick_labels(ticks), y_of, a0, a1, side, label_color, grid);
}

void draw_step_ticks(ImDrawList* dl, double x_lo, double x_hi, int count,
                     const std::function<float(double)>& x_of, ImVec2 a0, ImVec2 a1,
                     ImU32 label_color) {
  const float font = ImGui::GetFontSize();
  char buf[64];
  float last_x = -1e9f;
  for (double step : integer_ticks(x_lo, x_hi, count)) {
    std::snprintf(buf, sizeof buf, "%.0f", step);
    const float w = ImGui::CalcTextSize(buf).x;
    const float x = std::clamp(x_of(step) - w / 2, a0.x, a1.x - w);
    if (x < last_x + font * 0.6f) continue;
    last_x = x + w;
    dl->AddLine(ImVec2(x_of(step), a1.y), ImVec2(x_of(step), a1.y + 3), IM_COL32(255, 255, 255, 60));
    dl->AddText(ImVec2(x, a1.y + 3), label_color, buf);
  }
}

}  // namespace rrcnn
