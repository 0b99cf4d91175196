// The file browser dialog (rules in file_browser.h): a modal window with the folder (typed or
// walked with Up / double-click), its folders and matching files with size and date, the name
// being typed, and OK / Cancel; replacing an existing file asks first. The chosen path becomes
// the command of the browser's purpose.
#include <algorithm>
#include <ctime>
#include <string>
#include <vector>

#include "gui/panels/panels.h"
#include "gui/panels/theme.h"
#include "gui/panels/widgets.h"
#include "imgui_stdlib.h"

namespace rrcnn {
namespace {

const char* ok_label(const FileBrowser& b) {
  if (b.purpose() == BrowsePurpose::kOpenData) return b.file_name.empty() ? "Use folder" : "Open";
  return b.saving() ? "Save" : "Open";
}

void emit(const FileBrowser& b, const std::string& path, const UiScratch& ui, Commands& out) {
  Command c{Cmd::kQuit};
  switch (b.purpose()) {
    case BrowsePurpose::kLoadCheckpoint:
      c.kind = Cmd::kLoadCheckpoint;
      break;
    case BrowsePurpose::kSaveCheckpoint:
      c.kind = Cmd::kSaveCheckpoint;
      c.flag = ui.save_optimizer;
      break;
    case BrowsePurpose::kOpenData:
      c.kind = Cmd::kOpenPath;
      break;
    case BrowsePurpose::kScreenshot:
      c.kind = Cmd::kScreenshot;
      break;
    case BrowsePurpose::kGif:
      c.kind = Cmd::kRecordGif;
      break;
    case BrowsePurpose::kExportLoss:
      c.kind = Cmd::kExportLoss;
      break;
    case BrowsePurpose::kOpenRunLog:
      c.kind = Cmd::kOverlayAdd;
      break;
    case BrowsePurpose::kLoadB:
      c.kind = Cmd::kAb;
      c.n = int(AbAction::kLoad);
      break;
    case BrowsePurpose::kSaveSession:
      c.kind = Cmd::kSaveSession;
      break;
    case BrowsePurpose::kLoadSession:
      c.kind = Cmd::kLoadSession;
      break;
    case BrowsePurpose::kRecordSession:
      c.kind = Cmd::kRecordSession;
      break;
  }
  c.path = path;
  c.overwrite = true;  // the browser asked already
  out.push(c);
}

void entry_list(FileBrowser& b, UiScratch& ui, float height) {
  ImGui::BeginChild("##entries", ImVec2(0, height), true);
  if (!b.list_error().empty()) ImGui::TextColored(colors::kBad, "%s", b.list_error().c_str());
  if (b.entries().empty() && b.list_error().empty())
    ImGui::TextDisabled(b.show_all() ? "(empty folder)"
                                     : "(no matching files here: \"show all files\" lists the rest)");
  if (!b.entries().empty() && ImGui::BeginTable("files", 3,
                        ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp |
                            ImGuiTableFlags_ScrollY)) {
    ImGui::TableSetupColumn("name", ImGuiTableColumnFlags_WidthStretch, 6.0f);
    ImGui::TableSetupColumn("size", ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableSetupColumn("modified", ImGuiTableColumnFlags_WidthStretch, 2.2f);
    // Copies: entering a folder rebuilds the list while we walk it.
    const std::vector<BrowserEntry> entries = b.entries();
    for (const BrowserEntry& e : entries) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const std::string label = (e.is_dir ? "[dir]  " : "") + e.name;
      const bool selected = !b.file_name.empty() && b.file_name == e.name;
      if (ImGui::Selectable(label.c_str(), selected,
                            ImGuiSelectableFlags_SpanAllColumns |
                                ImGuiSelectableFlags_AllowDoubleClick)) {
        b.select(e);
        ui.browser_message.clear();
        if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
          if (e.is_dir) {
            b.enter(e.name);
            if (b.purpose() == BrowsePurpose::kOpenData) b.file_name.clear();
          } else {
            ui.browser_ok = true;
          }
        }
      }
      ImGui::TableNextColumn();
      if (!e.is_dir) ImGui::TextDisabled("%s", format_size(e.size).c_str());
      ImGui::TableNextColumn();
      char when[32] = "";
      std::tm tm{};
      if (localtime_r(&e.modified, &tm)) std::strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
      ImGui::TextDisabled("%s", when);
    }
    ImGui::EndTable();
  }
  ImGui::EndChild();
}

}  // namespace

void draw_file_browser(const StudioState& s, UiScratch& ui, Commands& out) {
  FileBrowser& b = ui.browser;
  if (!b.is_open()) return;
  // "###": the title shows the browser's purpose while the popup's identity stays the same.
  const std::string id = b.title() + "###browser";
  if (!ImGui::IsPopupOpen(id.c_str())) {
    ImGui::OpenPopup(id.c_str());
    ui.browser_confirm = false;
    ui.browser_message.clear();
    ui.browser_focus_name = true;
  }
  if (ui.browser_shown_dir != b.dir()) ui.browser_dir = ui.browser_shown_dir = b.dir();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float font = ImGui::GetFontSize();
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f),
                          ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(
      ImVec2(std::min(font * 42, vp->Size.x * 0.95f), std::min(font * 30, vp->Size.y * 0.9f)),
      ImGuiCond_Always);
  if (!ImGui::BeginPopupModal(id.c_str(), nullptr,
                              ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove)) {
    b.close();
    return;
  }
  if (ImGui::Button("Up")) b.up();
  tip("The folder above this one.");
  ImGui::SameLine();
  if (ImGui::Button("Home")) b.go(s.home);
  ImGui::SameLine();
  const std::string& outdir = b.saving() && (b.purpose() == BrowsePurpose::kScreenshot ||
                                              b.purpose() == BrowsePurpose::kGif)
                                  ? s.out_dirs.pictures
                                  : s.out_dirs.data;
  if (ImGui::Button("Studio folder")) {
    ui.browser_message.clear();
    if (!b.go(outdir)) ui.browser_message = "the studio folder " + outdir + " does not exist yet";
  }
  tip(("Where the studio saves by default: " + outdir).c_str());
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  if (ImGui::InputText("##dir", &ui.browser_dir, ImGuiInputTextFlags_EnterReturnsTrue)) {
    if (!b.go(ui.browser_dir)) ui.browser_message = b.list_error();
    ui.browser_dir = b.dir();
  }
  tip("The folder shown; type a path and press Enter to go there.");

  const float footer = ImGui::GetFrameHeightWithSpacing() * 3 + font * 1.6f;
  entry_list(b, ui, ImGui::GetContentRegionAvail().y - footer);

  ImGui::SetNextItemWidth(-font * 7);
  if (ui.browser_focus_name) {
    ImGui::SetKeyboardFocusHere();
    ui.browser_focus_name = false;
  }
  if (ImGui::InputTextWithHint("name", b.saving() ? "file name" : "pick a file above",
                               &b.file_name,
                               ImGuiInputTextFlags_EnterReturnsTrue |
                                   ImGuiInputTextFlags_AutoSelectAll))
    ui.browser_ok = true;
  bool all = b.show_all();
  if (ImGui::Checkbox("show all files", &all)) b.set_show_all(all);
  if (!b.extensions().empty()) {
    ImGui::SameLine();
    std::string f;
    for (const std::string& e : b.extensions()) f += (f.empty() ? "" : " ") + std::string("*") + e;
    ImGui::TextDisabled("(shown: %s)", all ? "all files" : f.c_str());
  }
  ImGui::TextColored(colors::kBad, "%s", ui.browser_message.c_str());

  const float bw = font * 7;
  if (ui.browser_confirm) {
    const BrowserChoice c = b.choose();
    ImGui::TextColored(colors::kWarn, "%s", c.message.c_str());
    ImGui::SameLine(ImGui::GetContentRegionAvail().x - 2 * bw);
    if (ImGui::Button("Replace", ImVec2(bw, 0))) ui.browser_replace = true;
    ImGui::SameLine();
    if (ImGui::Button("Back", ImVec2(bw, 0)) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
      ui.browser_confirm = false;
    else if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false))
      ui.browser_replace = true;
    if (ui.browser_replace) {
      ui.browser_replace = false;
      emit(b, b.confirm_replace().path, ui, out);
      b.close();
      ImGui::CloseCurrentPopup();
    }
  } else {
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - 2 * bw -
                         ImGui::GetStyle().ItemSpacing.x);
    if (ImGui::Button("Cancel", ImVec2(bw, 0)) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
      b.close();
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (toggle_button(ok_label(b), true, ImVec2(bw, 0))) ui.browser_ok = true;
  }
  if (ui.browser_ok && b.is_open()) {
    ui.browser_ok = false;
    const BrowserChoice c = b.choose();
    ui.browser_message.clear();
    if (c.kind == BrowserChoice::kChosen) {
      emit(b, c.path, ui, out);
      b.close();
      ImGui::CloseCurrentPopup();
    } else if (c.kind == BrowserChoice::kConfirmReplace) {
      ui.browser_confirm = true;
    } else if (c.kind == BrowserChoice::kProblem) {
      ui.browser_message = c.message;
    }
  }
  ImGui::EndPopup();
}

}  // namespace rrcnn
