// The frame around the panels: the main menu bar, the status line at the bottom (backend,
// device, display path, frame time, steps/s), the error popup and the default window layout.
#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <string>

#include "gui/files/unsaved_guard.h"
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
    const std::string rec = s.gif_recording
                                ? "Stop GIF recording (" + std::to_string(s.gif_frames) + " frames)"
                                : std::string("Record GIF (until G again)");
    if (ImGui::MenuItem(rec.c_str(), "G"))
      out.push(s.gif_recording ? Cmd::kStopGif : Cmd::kRecordGif);
    if (ImGui::MenuItem("Record GIF as...", nullptr, false, !s.gif_recording))
      out.push(browse_command(BrowsePurpose::kGif));
    if (ImGui::MenuItem("Export loss history (CSV)", nullptr, false, !s.history.empty()))
      out.push(Cmd::kExportLoss);
    if (ImGui::MenuItem("Export loss history as...", nullptr, false, !s.history.empty()))
      out.push(browse_command(BrowsePurpose::kExportLoss));
    ImGui::Separator();
    draw_session_menu_items(s, out);  // panel_session.cpp
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
                size_name(m.preset).c_str(), m.height, m.width, m.channels, s.model.param_count);
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
        s.train_status.phase == TrainPhase::kRunning ? s.train_rate : 0.0);
    const std::string unsaved =
        unsaved_status(s.model.optimizer_step, s.model.saved_step, s.model.saved_here);
    if (!unsaved.empty()) {
      ImGui::SameLine();
      ImGui::TextColored(colors::kWarn, "|  %s", unsaved.c_str());
    } else if (s.model.fresh && s.model.optimizer_step == 0) {
      ImGui::SameLine();
      ImGui::TextColored(colors::kWarn, "|  untrained weights (no checkpoint)");
    }
    if (s.closing) {
      ImGui::SameLine();
      ImGui::TextColored(colors::kWarn, "|  closing: waiting for the training step in flight...");
    }
  }
  ImGui::End();
  ImGui::PopStyleColor();
  ImGui::PopStyleVar(2);
}

void draw_notice_toast(const StudioState& s, UiScratch& ui) {
  constexpr double kShow = 5.0, kFade = 0.6;
  const double now = ImGui::GetTime();
  if (s.notice_serial != ui.toast_serial) {
    ui.toast_serial = s.notice_serial;
    ui.toast_since = now;
  }
  ui.toast_shown.clear();
  const double age = now - ui.toast_since;
  ui.toast_animating = s.notice_serial > 0 && !s.notice.empty() && age < kShow + kFade;
  if (!ui.toast_animating) return;
  const float alpha = age < kShow ? 1.0f : float(1.0 - (age - kShow) / kFade);
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float font = ImGui::GetFontSize(), margin = font * 0.8f;
  const float status_h = ImGui::GetFrameHeight() + 2;
  // As wide as the text, at most the window less its margins: long paths wrap, never clip.
  const ImVec2 pad(font * 0.8f, font * 0.5f);
  const float max_text = std::max(vp->Size.x - 2 * margin - 2 * pad.x, font * 4);
  const float text_w = std::min(ImGui::CalcTextSize(s.notice.c_str()).x, std::min(max_text, font * 40));
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x - margin, vp->Pos.y + vp->Size.y - status_h - margin),
                          ImGuiCond_Always, ImVec2(1, 1));
  ImGui::SetNextWindowBgAlpha(0.94f * alpha);
  ImGui::PushStyleVar(ImGuiStyleVar_Alpha, alpha);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, pad);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, font * 0.3f);
  ImGui::PushStyleColor(ImGuiCol_Border, colors::kGood);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoNav |
                                 ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoInputs |
                                 ImGuiWindowFlags_AlwaysAutoResize;
  if (ImGui::Begin("##notice", nullptr, flags)) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + text_w);
    ImGui::TextColored(colors::kGood, "%s", s.notice.c_str());
    ImGui::PopTextWrapPos();
    const ImVec2 p = ImGui::GetWindowPos(), sz = ImGui::GetWindowSize();
    // Whole inside the window (the first frame of an auto-sized window is not yet placed).
    if (p.x >= vp->Pos.x && p.y >= vp->Pos.y && p.x + sz.x <= vp->Pos.x + vp->Size.x + 0.5f &&
        p.y + sz.y <= vp->Pos.y + vp->Size.y + 0.5f && sz.x > 0 && ImGui::GetFrameCount() > 1)
      ui.toast_shown = s.notice;
  }
  ImGui::End();
  ImGui::PopStyleColor();
  ImGui::PopStyleVar(3);
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
