// Widget helpers (see widgets.h).
#include "gui/panels/widgets.h"

#include "gui/panels/theme.h"

namespace rrcnn {

void tip(const char* text) {
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", text);
}

bool section(const char* title) {
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, colors::kDim);
  ImGui::PushStyleColor(ImGuiCol_Header, ImVec4(0, 0, 0, 0));
  const bool open = ImGui::CollapsingHeader(title, ImGuiTreeNodeFlags_DefaultOpen);
  ImGui::PopStyleColor(2);
  return open;
}

void badge(const char* text, ImVec4 color) {
  const ImVec2 pad = ImGui::GetStyle().FramePadding;
  const ImVec2 ts = ImGui::CalcTextSize(text);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const ImVec2 size(ts.x + pad.x * 2, ts.y + pad.y * 2);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y),
                    ImGui::GetColorU32(ImVec4(color.x, color.y, color.z, 0.22f)), 4.0f);
  dl->AddRect(p, ImVec2(p.x + size.x, p.y + size.y), ImGui::GetColorU32(color), 4.0f);
  dl->AddText(ImVec2(p.x + pad.x, p.y + pad.y), ImGui::GetColorU32(color), text);
  ImGui::Dummy(size);
}

bool toggle_button(const char* label, bool on, ImVec2 size) {
  if (on) {
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.20f, 0.36f, 0.58f, 1.0f));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.24f, 0.42f, 0.66f, 1.0f));
  }
  const bool pressed = ImGui::Button(label, size);
  if (on) ImGui::PopStyleColor(2);
  return pressed;
}

void stat_row(const char* label, const char* value, ImVec4 color) {
  ImGui::TextDisabled("%s", label);
  ImGui::SameLine(ImGui::GetFontSize() * 7.5f);
  if (color.w > 0)
    ImGui::TextColored(color, "%s", value);
  else
    ImGui::TextUnformatted(value);
}

}  // namespace rrcnn
