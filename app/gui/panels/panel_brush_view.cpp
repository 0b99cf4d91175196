// Controls window, continued: the brush (mode, radius, strength) and what the inspect tile and
// the inspector show (channel or error map, colour map, range).
#include <algorithm>
#include <cstdio>

#include "gui/rendering/colormap.h"
#include "gui/panels/panels.h"
#include "gui/panels/timeline_panels.h"
#include "gui/panels/widgets.h"

namespace rrcnn {

void draw_brush_section(const StudioState& s, Commands& out) {
  if (!section("Brush")) return;
  Command c{Cmd::kSetBrush};
  c.brush = s.brush;
  bool changed = false;
  const float w = ImGui::GetContentRegionAvail().x;
  const float third = (w - 2 * ImGui::GetStyle().ItemSpacing.x) / 3;
  const struct {
    BrushMode mode;
    const char* label;
    const char* help;
  } modes[] = {
      {BrushMode::kDraw, "Draw", "Raise the image channel (paint ink). Key 1; B cycles modes."},
      {BrushMode::kErase, "Erase",
       "Zero every channel of the cells: damage the automaton and watch "
       "it repair. Key 2; right mouse button erases in any mode."},
      {BrushMode::kNoise, "Noise", "Add Gaussian noise to the image channel. Key 3."},
  };
  for (int i = 0; i < 3; ++i) {
    if (i) ImGui::SameLine();
    if (toggle_button(modes[i].label, s.brush.mode == modes[i].mode, ImVec2(third, 0))) {
      c.brush.mode = modes[i].mode;
      changed = true;
    }
    tip(modes[i].help);
  }
  ImGui::PushItemWidth(-ImGui::GetFontSize() * 4.2f);
  float radius = s.brush.radius;
  if (ImGui::SliderFloat("radius", &radius, 0.5f, 12.0f, "%.1f cells",
                         ImGuiSliderFlags_Logarithmic)) {
    c.brush.radius = radius;
    changed = true;
  }
  tip("Brush radius in cells. Mouse wheel over the digits, or [ and ].");
  // The strength row stays in erase mode (disabled) so the controls below do not jump.
  {
    const bool erase = s.brush.mode == BrushMode::kErase;
    float strength = s.brush.strength;
    const char* label = s.brush.mode == BrushMode::kNoise ? "noise sd" : "ink";
    ImGui::BeginDisabled(erase);
    if (ImGui::SliderFloat(label, &strength, 0.05f, s.brush.mode == BrushMode::kNoise ? 2.0f : 1.0f,
                           erase ? "(erase: all channels to 0)" : "%.2f")) {
      c.brush.strength = strength;
      changed = true;
    }
    ImGui::EndDisabled();
    tip(s.brush.mode == BrushMode::kDraw    ? "Brightness the brush raises the image channel to."
        : s.brush.mode == BrushMode::kNoise ? "Standard deviation of the noise the brush adds."
                                            : "Erase zeroes every channel: no strength to set.");
  }
  ImGui::PopItemWidth();
  bool all = s.brush.all_samples;
  if (ImGui::Checkbox("Paint on every digit", &all)) {
    c.brush.all_samples = all;
    changed = true;
  }
  tip("Apply each stroke to the same cells of all digits at once.");
  if (changed) out.push(c);
}

void draw_view_section(const StudioState& s, Commands& out) {
  if (!section("View")) return;
  Command c{Cmd::kSetView};
  c.view = s.view;
  bool changed = false;
  const int channels = s.model.config.channels;
  ImGui::PushItemWidth(-ImGui::GetFontSize() * 4.2f);
  const char* inspect_names[] = {"none",         "hidden channel", "error map", "change map",
                                 "dropout mean", "dropout std",    "fork original"};
  int inspect = int(s.view.inspect);
  if (ImGui::Combo("4th tile", &inspect, inspect_names, 7)) {
    c.view.inspect = InspectView(inspect);
    changed = true;
  }
  tip("What the fourth tile of every digit shows: one channel through the colour map (E toggles "
      "the error map), the error of the live image against the target, where cells still change "
      "(|s_t - s_(t-1)|, log scale), the dropout rollouts' mean or spread, or a fork's original.");
  int channel = s.view.channel;
  char fmt[48];
  std::snprintf(fmt, sizeof fmt, channel == channels - 1 ? "%%d (image)" : "%%d");
  if (ImGui::SliderInt("channel", &channel, 0, std::max(channels - 1, 0), fmt)) {
    c.view.channel = channel;
    if (c.view.inspect == InspectView::kNone) c.view.inspect = InspectView::kChannel;
    changed = true;
  }
  tip("Channel shown in the fourth tile and highlighted in the inspector mosaic (, and . step "
      "through them). The last channel is the image.");
  int cmap = s.view.colormap;
  const char* cmap_names[] = {colormap_name(ColorMap::kDarkCentre),
                              colormap_name(ColorMap::kLightCentre)};
  if (ImGui::Combo("colours", &cmap, cmap_names, 2)) {
    c.view.colormap = cmap;
    changed = true;
  }
  tip("Diverging colour maps centred at 0, readable with the common colour-vision deficiencies.");
  ImGui::PopItemWidth();
  bool autor = s.view.auto_range;
  if (ImGui::Checkbox("auto range", &autor)) {
    c.view.auto_range = autor;
    changed = true;
  }
  tip("Scale each channel by its own largest |value| in the batch; off: one fixed range.");
  ImGui::SameLine();
  ImGui::PushItemWidth(-ImGui::GetFontSize() * 4.2f);
  ImGui::BeginDisabled(autor);
  float range = s.view.range;
  if (ImGui::SliderFloat("range", &range, 0.01f, 10.0f, "+-%.2f", ImGuiSliderFlags_Logarithmic)) {
    c.view.range = range;
    changed = true;
  }
  ImGui::EndDisabled();
  tip("Fixed symmetric range of the channel colour map.");
  float erange = s.view.error_range;
  if (ImGui::SliderFloat("error", &erange, 0.05f, 1.0f, "+-%.2f")) {
    c.view.error_range = erange;
    changed = true;
  }
  tip("Error that maps to the ends of the error map (orange: brighter than the target, blue: "
      "darker).");
  ImGui::PopItemWidth();
  if (changed) out.push(c);
  draw_timeline_settings(s, out);
}

}  // namespace rrcnn
