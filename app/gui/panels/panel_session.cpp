// Sessions in the UI: the File menu's session items (save, load, record, copy as command) and
// the "Copy as command" dialog, which shows the `rrcnn` command lines of the current settings
// (the same lines F1 shows, from session_file.h) with a Copy button each.
#include <string>

#include "gui/panels/panels.h"
#include "gui/panels/theme.h"

namespace rrcnn {
namespace {

Command copy(const std::string& command) {
  Command c{Cmd::kCopyCommand};
  c.path = command;
  return c;
}

}  // namespace

void draw_session_menu_items(const StudioState& s, Commands& out) {
  if (ImGui::MenuItem("Save session...")) out.push(browse_command(BrowsePurpose::kSaveSession));
  if (ImGui::MenuItem("Load session...")) out.push(browse_command(BrowsePurpose::kLoadSession));
  if (ImGui::MenuItem("Copy as command", "Ctrl+Shift+C")) out.push(copy("render"));
  const std::string rec = s.session.recording
                              ? "Stop recording (" + std::to_string(s.session.record_lines) + " lines)"
                              : std::string("Record session (replayable script)");
  if (ImGui::MenuItem(rec.c_str(), "Ctrl+R"))
    out.push(s.session.recording ? Cmd::kStopRecording : Cmd::kRecordSession);
  if (ImGui::MenuItem("Record session as...", nullptr, false, !s.session.recording))
    out.push(browse_command(BrowsePurpose::kRecordSession));
}

void draw_command_dialog(const StudioState& s, Commands& out) {
  if (!s.session.show_commands) return;
  const float em = ImGui::GetFontSize();
  ImGui::SetNextWindowSize(ImVec2(em * 44, 0), ImGuiCond_Appearing);
  const ImVec2 centre = ImGui::GetMainViewport()->GetCenter();
  ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  bool open = true;
  if (ImGui::Begin("Copy as command", &open, ImGuiWindowFlags_NoCollapse)) {
    ImGui::TextWrapped("The current settings as rrcnn command lines. The first is on the clipboard; "
                       "File > Save session keeps every setting (view and brush too) for "
                       "`rrcnn gui --session FILE`.");
    for (const SessionCommandLine& l : s.session.commands) {
      ImGui::Spacing();
      ImGui::PushID(l.command.c_str());
      ImGui::TextColored(colors::kAccent, "rrcnn %s", l.command.c_str());
      ImGui::SameLine();
      if (ImGui::SmallButton(l.line == s.session.copied ? "Copied" : "Copy")) out.push(copy(l.command));
      ImGui::TextWrapped("%s", l.line.c_str());
      ImGui::PopID();
    }
    ImGui::Spacing();
    if (ImGui::Button("Close")) open = false;
  }
  ImGui::End();
  if (!open) out.push(copy("close"));
}

}  // namespace rrcnn
