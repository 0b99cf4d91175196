// Controls window, continued: checkpoints (save / load, with the current path and recent
// files), the digits' source, the screenshot and the GIF of a rollout.
#include <cstring>

#include "gui/panels.h"
#include "gui/theme.h"
#include "gui/widgets.h"

namespace rrcnn {
namespace {

void copy_path(char* dst, size_t cap, const std::string& src) {
  std::strncpy(dst, src.c_str(), cap - 1);
  dst[cap - 1] = 0;
}

float button_width(int per_row) {
  const float w = ImGui::GetContentRegionAvail().x;
  return (w - float(per_row - 1) * ImGui::GetStyle().ItemSpacing.x) / float(per_row);
}

}  // namespace

void draw_files_section(const StudioState& s, UiScratch& ui, Commands& out) {
  if (!ui.paths_initialised) {
    copy_path(ui.ckpt_path, sizeof ui.ckpt_path, s.ckpt_path);
    copy_path(ui.data_path, sizeof ui.data_path, s.data_source);
    ui.paths_initialised = true;
  }
  if (!section("Model and files")) return;
  ImGui::TextDisabled("weights");
  ImGui::SameLine();
  ImGui::TextWrapped("%s", s.model.source.c_str());
  tip("Where the current weights came from. Training changes them; save to keep them.");

  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextWithHint("##ckpt", "checkpoint.safetensors", ui.ckpt_path, sizeof ui.ckpt_path);
  tip("Checkpoint path for Save and Load. You can also drop a .safetensors file on the window.");
  const float w2 = button_width(2);
  if (ImGui::Button("Save", ImVec2(w2, 0))) {
    Command c{Cmd::kSaveCheckpoint};
    c.path = ui.ckpt_path;
    c.flag = ui.save_optimizer;
    out.push(c);
  }
  tip("Write the current weights (atomic: a crash never leaves half a file). Ctrl+S.");
  ImGui::SameLine();
  if (ImGui::Button("Load", ImVec2(w2, 0))) out.path(Cmd::kLoadCheckpoint, ui.ckpt_path);
  tip("Load weights (and optimiser state, when saved with it) from the path above. Ctrl+O.");
  ImGui::Checkbox("with optimiser state", &ui.save_optimizer);
  tip("Also save Adam's moments and step, so training resumes exactly where it stopped.");
  if (!s.recent.empty()) {
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##recent", "recent files...")) {
      for (const std::string& p : s.recent)
        if (ImGui::Selectable(p.c_str())) copy_path(ui.ckpt_path, sizeof ui.ckpt_path, p);
      ImGui::EndCombo();
    }
    tip("Recently opened or saved checkpoints: pick one to fill in the path.");
  }

  ImGui::Spacing();
  ImGui::TextDisabled("digits");
  ImGui::SameLine();
  ImGui::TextWrapped("%s", s.data_source.c_str());
  ImGui::SetNextItemWidth(-button_width(4) - ImGui::GetStyle().ItemSpacing.x);
  ImGui::InputTextWithHint("##data", "directory or IDX file", ui.data_path, sizeof ui.data_path);
  tip("A directory of IDX files (MNIST, Fashion-MNIST) or one images file. Dropping works too.");
  ImGui::SameLine();
  if (ImGui::Button("Open", ImVec2(-1, 0))) out.path(Cmd::kOpenPath, ui.data_path);
  tip("Use these digits for the live view and for training.");

  ImGui::Spacing();
  ImGui::SetNextItemWidth(-button_width(3) - ImGui::GetStyle().ItemSpacing.x);
  ImGui::InputText("##shot", ui.shot_path, sizeof ui.shot_path);
  tip("PNG file for the screenshot.");
  ImGui::SameLine();
  if (ImGui::Button("Screenshot", ImVec2(-1, 0))) out.path(Cmd::kScreenshot, ui.shot_path);
  tip("Save the whole window as a PNG (F12).");
  ImGui::SetNextItemWidth(-button_width(3) - ImGui::GetStyle().ItemSpacing.x);
  ImGui::InputText("##gif", ui.gif_path, sizeof ui.gif_path);
  tip("GIF file for the recorded rollout.");
  ImGui::SameLine();
  if (s.gif_recording) {
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.55f, 0.16f, 0.16f, 1.0f));
    if (ImGui::Button("Stop GIF", ImVec2(-1, 0))) out.push(Cmd::kStopGif);
    ImGui::PopStyleColor();
    tip("Stop recording and write the GIF now.");
  } else {
    if (ImGui::Button("Record GIF", ImVec2(-1, 0))) out.path(Cmd::kRecordGif, ui.gif_path);
    tip("Restart the rollout and record every step until the rollout length (G): rows are "
        "noisy | live | target, like `rrcnn render`.");
  }
}

}  // namespace rrcnn
