// Panel placement through resizes (rules in panel_layout.h): the studio places the four panels
// itself on the first frame, when the window's size changes and on View > Reset layout, from the
// arrangement remembered as fractions of the work area; arrangements the user makes are learnt
// only when usable, and only usable ones are saved (config dir, layout.txt).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gui/studio.h"
#include "imgui_internal.h"

namespace rrcnn {
namespace {

double seconds_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

bool panel_shown(const ViewSettings& v, PanelId p) {
  switch (p) {
    case kControlsPanel:
      return v.show_controls;
    case kInspectorPanel:
      return v.show_inspector;
    case kTrainingPanel:
      return v.show_training;
    default:
      return true;
  }
}

}  // namespace

Rect Studio::work_area() const {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float menu_h = ImGui::GetFrameHeight();
  const float status_h = ImGui::GetFrameHeight() + 2;
  return {vp->Pos.x, vp->Pos.y + menu_h, vp->Size.x, std::max(vp->Size.y - menu_h - status_h, 1.0f)};
}

void Studio::begin_layout() {
  const Rect area = work_area();
  if (layout_.empty()) {
    std::ifstream in(config_dir_.empty() ? "" : config_dir_ + "/layout.txt");
    std::stringstream ss;
    ss << in.rdbuf();
    if (!layout_.parse(ss.str())) layout_.reset(area, platform_.ui_scale());
  }
  if (ui_.reset_layout) {
    layout_.reset(area, platform_.ui_scale());
    layout_dirty_ = true;
    ui_.reset_layout = false;
    place_panels_ = true;
  }
  if (!near(area, last_area_, 0.5f)) place_panels_ = true;
  last_area_ = area;
}

void Studio::next_panel(PanelId p) {
  if (ui_.forced_panel == int(p) && !place_panels_) {
    const ImVec4 r = ui_.forced_rect;
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(r.z, r.w), ImGuiCond_Always);
    ui_.forced_panel = -1;
    return;
  }
  if (!place_panels_) return;
  const Rect r = layout_.rects_for(last_area_)[size_t(p)];
  ImGui::SetNextWindowPos(ImVec2(r.x, r.y), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(r.w, r.h), ImGuiCond_Always);
}

PanelRectSet Studio::actual_panels(PanelShown* shown) const {
  PanelRectSet r{};
  for (int i = 0; i < kPanelCount; ++i) {
    const ImGuiWindow* w = ImGui::FindWindowByName(panel_window_name(PanelId(i)));
    const bool on = w && w->Active && !w->Collapsed && panel_shown(st_.view, PanelId(i));
    (*shown)[size_t(i)] = on;
    if (w) r[size_t(i)] = {w->Pos.x, w->Pos.y, w->Size.x, w->Size.y};
  }
  return r;
}

bool Studio::layout_ok() const {
  PanelShown shown{};
  const PanelRectSet r = actual_panels(&shown);
  const float s = platform_.ui_scale();
  return layout_usable(r, shown, last_area_, 140 * s, 110 * s);
}

void Studio::end_layout() {
  if (place_panels_) {  // placed this frame: nothing to learn
    place_panels_ = false;
    return;
  }
  PanelShown shown{};
  const PanelRectSet actual = actual_panels(&shown);
  const PanelRectSet want = layout_.rects_for(last_area_);
  bool moved = false;
  for (int i = 0; i < kPanelCount; ++i)
    moved |= shown[size_t(i)] && !near(actual[size_t(i)], want[size_t(i)], 1.5f);
  const float s = platform_.ui_scale();
  if (moved && layout_usable(actual, shown, last_area_, 140 * s, 110 * s)) {
    layout_.adopt(actual, last_area_, shown);
    layout_dirty_ = true;
  }
  if (layout_dirty_ && seconds_now() - layout_saved_at_ > 2.0) save_layout();
}

void Studio::save_layout() {
  if (!layout_dirty_ || config_dir_.empty()) return;
  const std::string path = config_dir_ + "/layout.txt", tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << layout_.serialize();
    if (!out.good()) return;  // a convenience: never an error for the user
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  layout_dirty_ = false;
  layout_saved_at_ = seconds_now();
}

}  // namespace rrcnn
