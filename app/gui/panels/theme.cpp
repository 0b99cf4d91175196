// Dark theme (see theme.h): neutral blue-grey surfaces, one blue accent, readable contrast.
#include "gui/panels/theme.h"

namespace rrcnn {

void apply_theme(float scale) {
  ImGuiStyle& style = ImGui::GetStyle();
  style = ImGuiStyle();
  ImGui::StyleColorsDark(&style);
  style.WindowRounding = 6;
  style.ChildRounding = 4;
  style.FrameRounding = 4;
  style.PopupRounding = 4;
  style.GrabRounding = 4;
  style.TabRounding = 4;
  style.ScrollbarRounding = 6;
  style.WindowBorderSize = 1;
  style.FrameBorderSize = 0;
  style.WindowPadding = ImVec2(10, 10);
  style.FramePadding = ImVec2(8, 4);
  style.ItemSpacing = ImVec2(8, 6);
  style.ItemInnerSpacing = ImVec2(6, 4);
  style.IndentSpacing = 14;
  style.ScrollbarSize = 12;
  style.GrabMinSize = 10;
  style.WindowTitleAlign = ImVec2(0.0f, 0.5f);

  ImVec4* c = style.Colors;
  const ImVec4 bg{0.075f, 0.082f, 0.095f, 1.0f};
  const ImVec4 panel{0.095f, 0.104f, 0.120f, 1.0f};
  const ImVec4 frame{0.150f, 0.165f, 0.190f, 1.0f};
  const ImVec4 frame_hover{0.200f, 0.220f, 0.255f, 1.0f};
  const ImVec4 accent = colors::kAccent;
  const ImVec4 accent_dim{accent.x * 0.75f, accent.y * 0.75f, accent.z * 0.75f, 1.0f};
  c[ImGuiCol_Text] = colors::kText;
  c[ImGuiCol_TextDisabled] = colors::kDim;
  c[ImGuiCol_WindowBg] = panel;
  c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_PopupBg] = ImVec4(0.11f, 0.12f, 0.14f, 0.98f);
  c[ImGuiCol_Border] = ImVec4(0.20f, 0.22f, 0.26f, 1.0f);
  c[ImGuiCol_BorderShadow] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_FrameBg] = frame;
  c[ImGuiCol_FrameBgHovered] = frame_hover;
  c[ImGuiCol_FrameBgActive] = ImVec4(0.23f, 0.26f, 0.30f, 1.0f);
  c[ImGuiCol_TitleBg] = bg;
  c[ImGuiCol_TitleBgActive] = ImVec4(0.10f, 0.115f, 0.135f, 1.0f);
  c[ImGuiCol_TitleBgCollapsed] = bg;
  c[ImGuiCol_MenuBarBg] = bg;
  c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_ScrollbarGrab] = frame_hover;
  c[ImGuiCol_CheckMark] = accent;
  c[ImGuiCol_SliderGrab] = accent_dim;
  c[ImGuiCol_SliderGrabActive] = accent;
  c[ImGuiCol_Button] = frame;
  c[ImGuiCol_ButtonHovered] = frame_hover;
  c[ImGuiCol_ButtonActive] = accent_dim;
  c[ImGuiCol_Header] = ImVec4(0.16f, 0.18f, 0.21f, 1.0f);
  c[ImGuiCol_HeaderHovered] = frame_hover;
  c[ImGuiCol_HeaderActive] = accent_dim;
  c[ImGuiCol_Separator] = ImVec4(0.20f, 0.22f, 0.26f, 1.0f);
  c[ImGuiCol_Tab] = frame;
  c[ImGuiCol_TabHovered] = accent_dim;
  c[ImGuiCol_TabActive] = ImVec4(0.20f, 0.30f, 0.45f, 1.0f);
  c[ImGuiCol_PlotLines] = colors::kLoss;
  c[ImGuiCol_PlotHistogram] = accent_dim;
  c[ImGuiCol_TextSelectedBg] = ImVec4(accent.x, accent.y, accent.z, 0.35f);
  c[ImGuiCol_NavHighlight] = accent;
  c[ImGuiCol_ModalWindowDimBg] = ImVec4(0, 0, 0, 0.55f);
  style.ScaleAllSizes(scale);
}

}  // namespace rrcnn
