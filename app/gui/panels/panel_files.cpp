// Controls window, continued: checkpoints (the file on screen with Save / Save as / Load, the
// file browser, recent files), the digits' source, screenshots and the GIF of a rollout (into
// the pictures folder under time-stamped names, or a file chosen with "...").
#include <cstring>
#include <string>

#include "gui/panels/panels.h"
#include "gui/panels/theme.h"
#include "gui/panels/widgets.h"

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

// A "..." button at the end of a row that opens the browser.
void browse_button(const char* id, BrowsePurpose purpose, const char* help, Commands& out) {
  ImGui::SameLine();
  ImGui::PushID(id);
  if (ImGui::Button("...", ImVec2(-1, 0))) out.push(browse_command(purpose));
  ImGui::PopID();
  tip(help);
}

float browse_w() {
  return ImGui::CalcTextSize("...").x + ImGui::GetStyle().FramePadding.x * 2 +
         ImGui::GetStyle().ItemSpacing.x;
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
  ImGui::TextWrapped("%s", display_path(s.model.source, s.home).c_str());
  tip("Where the current weights came from. Training changes them; save to keep them.");

  ImGui::SetNextItemWidth(-browse_w());
  ImGui::InputTextWithHint("##ckpt", "checkpoint.safetensors", ui.ckpt_path, sizeof ui.ckpt_path);
  tip("The checkpoint file on screen: Save (Ctrl+S) writes here, Load reads it. A bare name goes "
      "into the studio's data folder. You can also drop a .safetensors file on the window.");
  browse_button("ckpt", BrowsePurpose::kLoadCheckpoint, "Browse for a checkpoint to open (Ctrl+O).",
                out);
  const float w3 = button_width(3);
  if (ImGui::Button("Save", ImVec2(w3, 0))) out.push(save_command(ui));
  tip("Write the weights to the file shown above (Ctrl+S). Another existing file is only "
      "replaced after you agree; the shipped model is never overwritten (you choose a file).");
  ImGui::SameLine();
  if (ImGui::Button("Save as...", ImVec2(w3, 0)))
    out.push(browse_command(BrowsePurpose::kSaveCheckpoint));
  tip("Choose a file for the weights (Ctrl+Shift+S).");
  ImGui::SameLine();
  if (ImGui::Button("Load", ImVec2(w3, 0))) out.path(Cmd::kLoadCheckpoint, ui.ckpt_path);
  tip("Load the weights (and optimiser state, when saved with it) from the file shown above.");
  ImGui::Checkbox("with optimiser state", &ui.save_optimizer);
  tip("Also save Adam's moments and step, so training resumes exactly where it stopped.");
  if (!s.recent.empty()) {
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##recent", "recent files...")) {
      for (const std::string& p : s.recent)
        if (ImGui::Selectable(display_path(p, s.home).c_str()))
          copy_path(ui.ckpt_path, sizeof ui.ckpt_path, p);
      ImGui::EndCombo();
    }
    tip("Recently opened or saved checkpoints: pick one to fill in the path, then Load.");
  }

  ImGui::Spacing();
  ImGui::TextDisabled("digits");
  ImGui::SameLine();
  ImGui::TextWrapped("%s", display_path(s.data_source, s.home).c_str());
  const float open_w = ImGui::CalcTextSize("Open").x + ImGui::GetStyle().FramePadding.x * 2 +
                       ImGui::GetStyle().ItemSpacing.x;
  ImGui::SetNextItemWidth(-open_w - browse_w());
  ImGui::InputTextWithHint("##data", "directory or IDX file", ui.data_path, sizeof ui.data_path);
  tip("A directory of IDX files (MNIST, Fashion-MNIST) or one images file. Dropping works too.");
  ImGui::SameLine();
  if (ImGui::Button("Open")) out.path(Cmd::kOpenPath, ui.data_path);
  tip("Use these digits for the live view and for training.");
  browse_button("data", BrowsePurpose::kOpenData, "Browse for a folder of digits or an IDX file.",
                out);

  ImGui::Spacing();
  ImGui::TextDisabled("pictures");
  ImGui::SameLine();
  ImGui::TextWrapped("%s", display_path(s.out_dirs.pictures, s.home).c_str());
  tip("Screenshots and GIFs go here under time-stamped names; \"...\" chooses another file.");
  const float half = (ImGui::GetContentRegionAvail().x - browse_w() -
                      ImGui::GetStyle().ItemSpacing.x) / 2;
  if (ImGui::Button("Screenshot", ImVec2(half, 0))) out.push(Cmd::kScreenshot);
  tip("Save the whole window as a PNG in the pictures folder (F12).");
  ImGui::SameLine();
  if (s.gif_recording) {
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.55f, 0.16f, 0.16f, 1.0f));
    if (ImGui::Button("Stop GIF", ImVec2(half, 0))) out.push(Cmd::kStopGif);
    ImGui::PopStyleColor();
    tip("Stop recording and write the GIF now.");
  } else {
    if (ImGui::Button("Record GIF", ImVec2(half, 0))) out.push(Cmd::kRecordGif);
    tip("Record the live view from now, every step and every change, until you stop it (G; at "
        "most 1800 frames): rows are noisy | live | target, like `rrcnn render`. Saved in the "
        "pictures folder.");
  }
  ImGui::SameLine();
  if (ImGui::BeginCombo("##as", "...", ImGuiComboFlags_NoArrowButton)) {
    if (ImGui::Selectable("Screenshot as...")) out.push(browse_command(BrowsePurpose::kScreenshot));
    if (ImGui::Selectable("Record GIF as...", false,
                          s.gif_recording ? ImGuiSelectableFlags_Disabled : 0))
      out.push(browse_command(BrowsePurpose::kGif));
    ImGui::EndCombo();
  }
  tip("Choose the file for a screenshot or a GIF.");
  bool captions = s.captions;
  if (ImGui::Checkbox("caption on pictures", &captions)) {
    Command c{Cmd::kSetCaptions};
    c.flag = captions;
    out.push(c);
  }
  tip("Screenshots and GIFs get a line under the picture: model, recipe, step, noise and "
      "dropout (GIFs also label their rows and count the steps).");
}

}  // namespace rrcnn
