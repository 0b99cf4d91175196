// The studio's questions (studio_state.h: Prompt) as modal dialogs: replace an existing file?
// save the trained weights first (save / discard / cancel)? and what happened when training
// diverged; the training target already reached (train N more?); throw the drawing away?
// Enter answers yes, Escape cancels.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <string>

#include "gui/panels/panels.h"
#include "gui/panels/theme.h"
#include "gui/panels/widgets.h"

namespace rrcnn {
namespace {

void answer(Commands& out, int n) {
  Command c{Cmd::kPromptAnswer};
  c.n = n;
  out.push(c);
}

}  // namespace

void draw_prompt(const StudioState& s, Commands& out) {
  const Prompt& p = s.prompt;
  if (p.kind == Prompt::kNone) return;
  const std::string id = p.title + "##prompt";
  if (!ImGui::IsPopupOpen(id.c_str())) ImGui::OpenPopup(id.c_str());
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float font = ImGui::GetFontSize();
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.4f),
                          ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSizeConstraints(ImVec2(std::min(font * 24, vp->Size.x * 0.9f), 0),
                                      ImVec2(std::min(font * 36, vp->Size.x * 0.95f), FLT_MAX));
  if (!ImGui::BeginPopupModal(id.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::PushTextWrapPos(std::min(font * 34, vp->Size.x * 0.9f));
  ImGui::TextUnformatted(p.text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  const float bw = font * 7;
  const bool enter = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false);
  const bool escape = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false);
  int chosen = -1;
  switch (p.kind) {
    case Prompt::kReplace:
      if (toggle_button("Replace", true, ImVec2(bw, 0)) || enter) chosen = 1;
      ImGui::SameLine();
      if (ImGui::Button("Cancel", ImVec2(bw, 0)) || escape) chosen = 0;
      break;
    case Prompt::kUnsaved:
      if (toggle_button("Save", true, ImVec2(bw, 0)) || enter) chosen = 1;
      tip("Save the weights (to the file shown, or a file you choose), then go on.");
      ImGui::SameLine();
      if (ImGui::Button("Discard (D)", ImVec2(bw, 0)) ||
          ImGui::IsKeyPressed(GLFW_KEY_D, false))
        chosen = 2;
      tip("Go on without saving: the trained weights are lost.");
      ImGui::SameLine();
      if (ImGui::Button("Cancel", ImVec2(bw, 0)) || escape) chosen = 0;
      tip("Do nothing; keep working with these weights.");
      break;
    case Prompt::kDiverged: {
      char lower[64];
      std::snprintf(lower, sizeof lower, "Learning rate / 10, resume");
      if (toggle_button(lower, true, ImVec2(0, 0))) chosen = 1;
      tip("Divide both ends of the learning-rate schedule by ten and resume from the last good "
          "weights.");
      ImGui::SameLine();
      if (ImGui::Button("Stay paused", ImVec2(0, 0)) || enter || escape) chosen = 0;
      tip("Close this; change the settings yourself, then Resume (T) or Stop (Shift+T).");
      break;
    }
    case Prompt::kTargetReached: {
      const std::string more = "Train " + std::to_string(p.extend) + " more steps";
      if (toggle_button(more.c_str(), true, ImVec2(0, 0)) || enter) chosen = 1;
      tip("Raise the target by that many steps and start training from these weights (Enter).");
      ImGui::SameLine();
      if (ImGui::Button("Cancel", ImVec2(bw, 0)) || escape) chosen = 0;
      tip("Leave the weights as they are; the target can also be set in the Training panel.");
      break;
    }
    case Prompt::kDrawing:
      if (toggle_button("Discard (D)", true, ImVec2(bw, 0)) ||
          ImGui::IsKeyPressed(GLFW_KEY_D, false))
        chosen = 2;
      tip("Go on: the drawing is lost.");
      ImGui::SameLine();
      if (ImGui::Button("Cancel", ImVec2(bw, 0)) || escape) chosen = 0;
      tip("Keep drawing; press Add noise (A) to make the drawing the target.");
      break;
    case Prompt::kNone:
      break;
  }
  if (chosen >= 0) {
    answer(out, chosen);
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

}  // namespace rrcnn
