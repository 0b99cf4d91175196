// The Inspector window: every channel of the selected digit as a tiled mosaic through the
// diverging colour map (click a tile to show that channel in the live cards), the colour
// legend, and the values under the mouse.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "gui/rendering/colormap.h"
#include "gui/panels/panels.h"
#include "gui/panels/theme.h"
#include "gui/panels/timeline_panels.h"
#include "gui/panels/widgets.h"

namespace rrcnn {
namespace {

ImTextureID tex_id(GLuint t) {
  return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(t));
}

void draw_legend(ColorMap map, float range, float width) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetTextLineHeight() * 0.7f;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const int steps = 64;
  for (int i = 0; i < steps; ++i) {
    const Rgb8 a = colormap_at(map, float(i) / steps), b = colormap_at(map, float(i + 1) / steps);
    dl->AddRectFilledMultiColor(ImVec2(p.x + width * i / steps, p.y),
                                ImVec2(p.x + width * (i + 1) / steps, p.y + h),
                                IM_COL32(a.r, a.g, a.b, 255), IM_COL32(b.r, b.g, b.b, 255),
                                IM_COL32(b.r, b.g, b.b, 255), IM_COL32(a.r, a.g, a.b, 255));
  }
  ImGui::Dummy(ImVec2(width, h));
  char lo[32], hi[32];
  std::snprintf(lo, sizeof lo, "-%.3g", double(range));
  std::snprintf(hi, sizeof hi, "+%.3g", double(range));
  ImGui::TextDisabled("%s", lo);
  ImGui::SameLine(width * 0.5f - ImGui::CalcTextSize("0").x * 0.5f +
                  ImGui::GetStyle().WindowPadding.x);
  ImGui::TextDisabled("0");
  ImGui::SameLine(width - ImGui::CalcTextSize(hi).x + ImGui::GetStyle().WindowPadding.x);
  ImGui::TextDisabled("%s", hi);
}

float value_at(const SimSnapshot& s, int b, int x, int y, int c) {
  const size_t i = ((size_t(b) * s.height + y) * s.width + x) * s.channels + c;
  return i < s.state.size() ? s.state[i] : 0.0f;
}

}  // namespace

void draw_inspector_panel(const StudioState& s, const CellTextures& tex,
                          const std::vector<float>& ranges, UiScratch& ui, Commands& out) {
  if (!s.view.show_inspector) return;
  bool open = true;
  if (!ImGui::Begin("Inspector", &open)) {
    ImGui::End();
    return;
  }
  const int C = s.snap.channels, H = s.snap.height, W = s.snap.width;
  const int sel = std::clamp(s.view.selected, 0, std::max(s.snap.batch - 1, 0));
  if (!tex.mosaic || C <= 0) {
    ImGui::TextDisabled("no state yet");
    ImGui::End();
    return;
  }
  ImGui::Text("Digit #%d", sel);
  ImGui::SameLine();
  ImGui::TextDisabled("%d channels, the last is the image", C);
  tip("Every channel of the selected digit (click a digit's tiles in the Live window to select "
      "it). Click a channel to show it as the fourth tile of every digit.");

  const float gap = 3;
  const float avail = ImGui::GetContentRegionAvail().x;
  // Fit the width and the height left after the legend and read-out lines.
  const float avail_h =
      ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing() * 4.5f -
      timeline_inspector_height(s);
  float zoom = std::min((avail - gap * (tex.mosaic_cols - 1)) / float(tex.mosaic_cols * W),
                        (avail_h - gap * (tex.mosaic_rows - 1)) / float(tex.mosaic_rows * H));
  if (zoom >= 2) zoom = std::floor(zoom);  // integer zoom keeps every cell the same size
  zoom = std::max(zoom, 1.0f);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (int c = 0; c < C; ++c) {
    const int tx = c % tex.mosaic_cols, ty = c / tex.mosaic_cols;
    const ImVec2 p0(std::floor(origin.x + tx * (W * zoom + gap)),
                    std::floor(origin.y + ty * (H * zoom + gap)));
    const ImVec2 p1(p0.x + W * zoom, p0.y + H * zoom);
    const ImVec2 uv0(float(tx) / tex.mosaic_cols, float(ty) / tex.mosaic_rows);
    const ImVec2 uv1(float(tx + 1) / tex.mosaic_cols, float(ty + 1) / tex.mosaic_rows);
    ImGui::SetCursorScreenPos(p0);
    ImGui::PushID(c);
    if (ImGui::InvisibleButton("ch", ImVec2(W * zoom, H * zoom))) {
      Command cmd{Cmd::kSetView};
      cmd.view = s.view;
      cmd.view.channel = c;
      cmd.view.inspect = InspectView::kChannel;
      out.push(cmd);
    }
    ImGui::PopID();
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("channel %d%s\nrange +-%.3g\nclick: show in the live cards", c,
                        c == C - 1 ? " (image)" : "",
                        c < int(ranges.size()) ? double(ranges[size_t(c)]) : 0.0);
    dl->AddImage(tex_id(tex.mosaic), p0, p1, uv0, uv1);
    const bool chosen = c == s.view.channel && s.view.inspect == InspectView::kChannel;
    if (chosen)
      dl->AddRect(ImVec2(p0.x - 2, p0.y - 2), ImVec2(p1.x + 2, p1.y + 2),
                  ImGui::GetColorU32(colors::kAccent), 0, 0, 2);
  }
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + tex.mosaic_rows * (H * zoom + gap)));
  ImGui::Dummy(ImVec2(1, 2));
  const float range = s.view.channel < int(ranges.size()) ? ranges[size_t(s.view.channel)] : 1.0f;
  if (s.view.inspect == InspectView::kError) {
    ImGui::TextDisabled("error map legend (live - target)");
    draw_legend(ColorMap(s.view.colormap), s.view.error_range, std::min(avail, 360.0f));
  } else {
    ImGui::TextDisabled("channel %d legend%s", s.view.channel,
                        s.view.auto_range ? " (auto range)" : "");
    draw_legend(ColorMap(s.view.colormap), range, std::min(avail, 360.0f));
  }
  // Values under the mouse (from a live tile).
  const LiveGeometry& g = ui.live;
  if (g.hover_sample >= 0 && g.hover_x >= 0) {
    const float img = value_at(s.snap, g.hover_sample, g.hover_x, g.hover_y, C - 1);
    const float ch =
        value_at(s.snap, g.hover_sample, g.hover_x, g.hover_y, std::min(s.view.channel, C - 1));
    ImGui::Text("cell (%d, %d) of #%d: image %.3f, channel %d = %.3f", g.hover_x, g.hover_y,
                g.hover_sample, double(img), s.view.channel, double(ch));
  } else {
    ImGui::TextDisabled("hover a live tile to read cell values");
  }
  draw_timeline_inspector(s, ui, avail);
  ImGui::End();
  if (!open) {
    Command c{Cmd::kSetView};
    c.view = s.view;
    c.view.show_inspector = false;
    out.push(c);
  }
}

}  // namespace rrcnn
