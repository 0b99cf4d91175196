// The frame around the panels: the main menu bar, the status line at the bottom (backend,
// device, display path, frame time, steps/s), the error popup and the default window layout.
#include <cfloat>
#include <cstdio>
#include <string>

#include "gui/panels/panels.h"
#include "gui/panels/theme.h"
#include "gui/panels/widgets.h"

namespace rrcnn {

void draw_menu_bar(const StudioState& s, UiScratch& ui, Commands& out) {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Open checkpoint...", "Ctrl+O"))
      out.push(browse_command(BrowsePurpose::kLoadCheckpoint));
    if (ImGui::BeginMenu("Recent", !s.recent.empty())) {
      for (const std::string& p : s.recent)
        if (ImGui::MenuItem(display_path(p, s.home).c_str())) out.path(Cmd::kLoadCheckpoint, p);
      ImGui::EndMenu();
    }
    if (ImGui::MenuItem("Save", "Ctrl+S")) out.push(save_command(ui));
    if (ImGui::MenuItem("Save as...", "Ctrl+Shift+S"))
      out.push(browse_command(BrowsePurpose::kSaveCheckpoint));
    if (ImGui::MenuItem("Open digits...")) out.push(browse_command(BrowsePurpose::kOpenData));
    ImGui::Separator();
    if (ImGui::MenuItem("Screenshot", "F12")) out.push(Cmd::kScreenshot);
    if (ImGui::MenuItem("Screenshot as...")) out.push(browse_command(BrowsePurpose::kScreenshot));
    if (ImGui::MenuItem(s.gif_recording ? "Stop GIF recording" : "Record GIF", "G"))
      out.push(s.gif_recording ? Cmd::kStopGif : Cmd::kRecordGif);
    if (ImGui::MenuItem("Record GIF as...", nullptr, false, !s.gif_recording))
      out.push(browse_command(BrowsePurpose::kGif));
    if (ImGui::MenuItem("Export loss history (CSV)", nullptr, false, !s.history.empty()))
      out.push(Cmd::kExportLoss);
    if (ImGui::MenuItem("Export loss history as...", nullptr, false, !s.history.empty()))
      out.push(browse_command(BrowsePurpose::kExportLoss));
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) out.push(Cmd::kQuit);
    ImGui::EndMenu();
  }
  draw_models_menu(s, out);
  if (ImGui::BeginMenu("View")) {
    Command c{Cmd::kSetView};
    c.view = s.view;
    bool changed = false;
    changed |= ImGui::MenuItem("Controls", nullptr, &c.view.show_controls);
    changed |= ImGui::MenuItem("Inspector", nullptr, &c.view.show_inspector);
    changed |= ImGui::MenuItem("Training", nullptr, &c.view.show_training);
    changed |= ImGui::MenuItem("Help", "F1", &c.view.show_help);
    if (changed) out.push(c);
    ImGui::Separator();
    if (ImGui::MenuItem("Reset layout")) out.push(Cmd::kResetLayout);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Keyboard and mouse", "F1")) {
      Command c{Cmd::kSetView};
      c.view = s.view;
      c.view.show_help = true;
      out.push(c);
    }
    ImGui::EndMenu();
  }
  // Right side: the model summary, shortened (or left out) when the window is narrow.
  const ModelConfig& m = s.model.config;
  char full[200], mid[120];
  std::snprintf(full, sizeof full, "%s  |  %s  |  %dx%d, C=%d, %zu params", s.model.name.c_str(),
                m.preset.c_str(), m.height, m.width, m.channels, s.model.param_count);
  std::snprintf(mid, sizeof mid, "%s  |  C=%d", s.model.name.c_str(), m.channels);
  const float pad = ImGui::GetStyle().WindowPadding.x * 2;
  const float room = ImGui::GetWindowWidth() - ImGui::GetCursorPosX() - pad;
  for (const char* text : {static_cast<const char*>(full), static_cast<const char*>(mid), s.model.name.c_str()}) {
    const float w = ImGui::CalcTextSize(text).x;
    if (w > room) continue;
    ImGui::SameLine(ImGui::GetWindowWidth() - w - pad);
    ImGui::TextDisabled("%s", text);
    break;
  }
  ImGui::EndMainMenuBar();
}

void draw_status_bar(const StudioState& s, const UiScratch& ui) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float h = ImGui::GetFrameHeight() + 2;
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x, vp->Pos.y + vp->Size.y - h));
  ImGui::SetNextWindowSize(ImVec2(vp->Size.x, h));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(10, 3));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.06f, 0.066f, 0.078f, 1.0f));
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus;
  if (ImGui::Begin("##status", nullptr, flags)) {
    const bool cuda = s.status.backend == "cuda";
    ImGui::TextColored(cuda ? colors::kGood : colors::kWarn, "%s",
                       cuda ? "CUDA" : (s.status.backend_note.empty() ? "CPU" : "CPU (no CUDA)"));
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(
          "compute backend: %s\n%s", s.status.backend.c_str(),
          s.status.backend_note.empty() ? "chosen with --backend" : s.status.backend_note.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled(
        "%s  |  display: %s  |  frame %.1f ms  |  live %.1f steps/s  |  train %.2f steps/s",
        s.status.device.c_str(), s.status.display_path.c_str(), s.status.frame_ms,
        s.pacing.playing ? s.snap.steps_per_sec : 0.0,
        s.train_status.phase == TrainPhase::kRunning ? s.history.steps_per_second() : 0.0);
    if (s.model.unsaved) {
      ImGui::SameLine();
      ImGui::TextColored(colors::kWarn, "|  trained weights not saved (Ctrl+S)");
    } else if (s.model.fresh && s.model.optimizer_step == 0) {
      ImGui::SameLine();
      ImGui::TextColored(colors::kWarn, "|  untrained weights (no checkpoint)");
    }
    if (s.closing) {
      ImGui::SameLine();
      ImGui::TextColored(colors::kWarn, "|  closing: waiting for the training step in flight...");
    } else if (!s.notice.empty()) {
      ImGui::SameLine();
      ImGui::TextColored(colors::kGood, "|  %s", s.notice.c_str());
    }
  }
  ImGui::End();
  ImGui::PopStyleColor();
  ImGui::PopStyleVar(2);
}

void draw_error_popup(const StudioState& s, UiScratch& ui, Commands& out) {
  if (s.errors.empty()) return;
  if (!ImGui::IsPopupOpen("Error")) ImGui::OpenPopup("Error");
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.4f),
                          ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSizeConstraints(ImVec2(ImGui::GetFontSize() * 20, 0),
                                      ImVec2(ImGui::GetFontSize() * 40, FLT_MAX));
  if (ImGui::BeginPopupModal("Error", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::TextColored(colors::kBad, "Something went wrong; the session keeps running.");
    ImGui::Separator();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 38);
    const UserMessage& m = s.errors.front();
    ImGui::TextUnformatted(m.text.c_str());
    if (m.detail != m.text && ImGui::TreeNode("details")) {
      ImGui::TextDisabled("%s", m.detail.c_str());
      if (!s.log_path.empty()) ImGui::TextDisabled("(also in %s)", display_path(s.log_path, s.home).c_str());
      ImGui::TreePop();
    }
    ImGui::PopTextWrapPos();
    if (s.errors.size() > 1) ImGui::TextDisabled("(%zu more)", s.errors.size() - 1);
    ImGui::Spacing();
    if (ImGui::Button("OK", ImVec2(ImGui::GetFontSize() * 6, 0)) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
      out.push(Cmd::kDismissError);
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
}

}  // namespace rrcnn
