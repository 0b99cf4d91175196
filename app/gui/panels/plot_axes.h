// Axis drawing shared by the studio's plots (the loss plot, the error curves): tick labels on
// the left or right of the plot area, thinned so they never overlap, with grid lines or short
// tick marks, and the step axis below. The numbers come from plot_math.h; this draws them.
// Also the two line helpers both plots draw with.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "gui/panels/plot_math.h"
#include "imgui.h"

namespace rrcnn {

enum class AxisSide { kLeft, kRight };

// `c` with its alpha scaled by `alpha`, packed for the draw list.
inline ImU32 plot_color(ImVec4 c, float alpha = 1.0f) {
  return ImGui::GetColorU32(ImVec4(c.x, c.y, c.z, c.w * alpha));
}
// A line through `pts`; nothing for fewer than two points.
inline void plot_polyline(ImDrawList* dl, const std::vector<ImVec2>& pts, ImU32 color, float thickness) {
  if (pts.size() >= 2) dl->AddPolyline(pts.data(), int(pts.size()), color, 0, thickness);
}

// Ticks at y = y_of(value) between a0 (top-left) and a1 (bottom-right) of the plot area: with
// `grid`, a faint line across for every tick; else a short mark at the edge for labelled ones.
void draw_y_ticks(ImDrawList* dl, const std::vector<double>& ticks,
                  const std::vector<std::string>& labels, const std::function<float(double)>& y_of,
                  ImVec2 a0, ImVec2 a1, AxisSide side, ImU32 label_color, bool grid);
// A log axis: at least two labelled ticks (log_ticks_at_least), labels all distinct.
void draw_log_y_axis(ImDrawList* dl, const LogAxis& axis, const std::function<float(double)>& y_of,
                     ImVec2 a0, ImVec2 a1, AxisSide side, ImU32 label_color, bool grid);
// Whole-number steps below the plot area, about `count` of them, labels never overlapping.
void draw_step_ticks(ImDrawList* dl, double x_lo, double x_hi, int count,
                     const std::function<float(double)>& x_of, ImVec2 a0, ImVec2 a1,
                     ImU32 label_color);

}  // namespace rrcnn
