// Keyboard shortcuts and the help window that lists them, from one table so the two never
// disagree. Keys are ignored while a text field, a popup, a menu or one of the studio's dialogs
// has the keyboard (key_queue.h: shortcuts_allowed).
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <algorithm>

#include "gui/key_queue.h"
#include "gui/panels/panels.h"
#include "gui/panels/theme.h"
#include "gui/panels/timeline_panels.h"
#include "gui/panels/widgets.h"

namespace rrcnn {
namespace {

enum Mod { kNone = 0, kShift = 1, kCtrl = 2 };

struct Shortcut {
  int key;
  int mods;
  const char* keys;
  const char* action;
  void (*apply)(const StudioState& s, const UiScratch& ui, Commands& out);
};

void set_pacing(const StudioState& s, Commands& out, bool playing) {
  Command c{Cmd::kSetPacing};
  c.pacing = s.pacing;
  c.pacing.playing = playing;
  out.push(c);
}

void set_brush_mode(const StudioState& s, Commands& out, BrushMode m) {
  Command c{Cmd::kSetBrush};
  c.brush = s.brush;
  c.brush.mode = m;
  out.push(c);
}

void set_view(const StudioState& s, Commands& out, ViewSettings v) {
  Command c{Cmd::kSetView};
  c.view = v;
  out.push(c);
}

void set_radius(const StudioState& s, Commands& out, float notches) {
  Command c{Cmd::kSetBrush};
  c.brush = s.brush;
  c.brush.radius = wheel_radius(s.brush.radius, notches);
  out.push(c);
}

void step_channel(const StudioState& s, Commands& out, int delta) {
  ViewSettings v = s.view;
  const int n = std::max(s.model.config.channels, 1);
  v.channel = (v.channel + delta + n) % n;
  v.inspect = InspectView::kChannel;
  set_view(s, out, v);
}

void toggle_training(const StudioState& s, const UiScratch&, Commands& out) {
  switch (s.train_status.phase) {
    case TrainPhase::kRunning:
      out.push(Cmd::kTrainPause);
      break;
    case TrainPhase::kPaused:
      out.push(Cmd::kTrainResume);
      break;
    case TrainPhase::kIdle:
    case TrainPhase::kFinished:
      out.push(Cmd::kTrainStart);
      break;
    case TrainPhase::kStopping:
      break;
  }
}

const Shortcut kShortcuts[] = {
    {GLFW_KEY_SPACE, kNone, "Space", "play / pause the live view",
     [](const StudioState& s, const UiScratch&, Commands& o) { set_pacing(s, o, !s.pacing.playing); }},
    {GLFW_KEY_S, kNone, "S", "single step (paused)",
     [](const StudioState&, const UiScratch&, Commands& o) {
       Command c{Cmd::kStep};
       c.n = 1;
       o.push(c);
     }},
    {GLFW_KEY_R, kNone, "R", "reset the rollout",
     [](const StudioState&, const UiScratch&, Commands& o) { o.push(Cmd::kReset); }},
    {GLFW_KEY_N, kNone, "N", "new digits",
     [](const StudioState&, const UiScratch&, Commands& o) { o.push(Command{Cmd::kNewDigits}); }},
    {GLFW_KEY_N, kShift, "Shift+N", "swap digits, keep hidden channels",
     [](const StudioState&, const UiScratch&, Commands& o) {
       Command c{Cmd::kNewDigits};
       c.flag = true;
       o.push(c);
     }},
    {GLFW_KEY_M, kNone, "M", "new noise",
     [](const StudioState&, const UiScratch&, Commands& o) { o.push(Cmd::kNewNoise); }},
    {GLFW_KEY_C, kNone, "C", "blank canvas",
     [](const StudioState&, const UiScratch&, Commands& o) { o.push(Cmd::kBlank); }},
    {GLFW_KEY_A, kNone, "A", "add noise to the drawing",
     [](const StudioState&, const UiScratch&, Commands& o) { o.push(Cmd::kAddNoise); }},
    {GLFW_KEY_B, kNone, "B", "cycle brush: draw, erase, noise",
     [](const StudioState& s, const UiScratch&, Commands& o) {
       set_brush_mode(s, o, BrushMode((int(s.brush.mode) + 1) % 3));
     }},
    {GLFW_KEY_1, kNone, "1 / 2 / 3", "brush draw / erase / noise",
     [](const StudioState& s, const UiScratch&, Commands& o) { set_brush_mode(s, o, BrushMode::kDraw); }},
    {GLFW_KEY_2, kNone, nullptr, nullptr,
     [](const StudioState& s, const UiScratch&, Commands& o) { set_brush_mode(s, o, BrushMode::kErase); }},
    {GLFW_KEY_3, kNone, nullptr, nullptr,
     [](const StudioState& s, const UiScratch&, Commands& o) { set_brush_mode(s, o, BrushMode::kNoise); }},
    {GLFW_KEY_LEFT_BRACKET, kNone, "[ / ]  or wheel", "smaller / larger brush",
     [](const StudioState& s, const UiScratch&, Commands& o) { set_radius(s, o, -1); }},
    {GLFW_KEY_RIGHT_BRACKET, kNone, nullptr, nullptr,
     [](const StudioState& s, const UiScratch&, Commands& o) { set_radius(s, o, 1); }},
    {GLFW_KEY_E, kNone, "E", "error map / hidden channel in the 4th tile",
     [](const StudioState& s, const UiScratch&, Commands& o) {
       ViewSettings v = s.view;
       v.inspect = v.inspect == InspectView::kError ? InspectView::kChannel : InspectView::kError;
       set_view(s, o, v);
     }},
    {GLFW_KEY_COMMA, kNone, ", / .", "previous / next channel",
     [](const StudioState& s, const UiScratch&, Commands& o) { step_channel(s, o, -1); }},
    {GLFW_KEY_PERIOD, kNone, nullptr, nullptr,
     [](const StudioState& s, const UiScratch&, Commands& o) { step_channel(s, o, 1); }},
    {GLFW_KEY_LEFT, kNone, "Left / Right", "timeline: one step back / forward (pauses)",
     [](const StudioState& s, const UiScratch&, Commands& o) { o.push(timeline_seek_command(s, -1)); }},
    {GLFW_KEY_RIGHT, kNone, nullptr, nullptr,
     [](const StudioState& s, const UiScratch&, Commands& o) { o.push(timeline_seek_command(s, 1)); }},
    {GLFW_KEY_HOME, kNone, "Home / End", "timeline: first kept step / newest step",
     [](const StudioState& s, const UiScratch&, Commands& o) { o.push(timeline_seek_command(s, -2)); }},
    {GLFW_KEY_END, kNone, nullptr, nullptr,
     [](const StudioState& s, const UiScratch&, Commands& o) { o.push(timeline_seek_command(s, 2)); }},
    {GLFW_KEY_F, kNone, "F", "fork: restart from the step shown, the original beside it",
     [](const StudioState& s, const UiScratch&, Commands& o) {
       Command c{Cmd::kTimelineFork};
       c.n = int(s.tl.shown_step);
       o.push(c);
     }},
    {GLFW_KEY_T, kNone, "T", "start / pause / resume training", toggle_training},
    {GLFW_KEY_T, kShift, "Shift+T", "stop training",
     [](const StudioState&, const UiScratch&, Commands& o) { o.push(Cmd::kTrainStop); }},
    {GLFW_KEY_S, kCtrl, "Ctrl+S", "save the weights to the file shown in Model and files",
     [](const StudioState&, const UiScratch& ui, Commands& o) { o.push(save_command(ui)); }},
    {GLFW_KEY_S, kCtrl | kShift, "Ctrl+Shift+S", "save the weights as... (choose a file)",
     [](const StudioState&, const UiScratch&, Commands& o) {
       o.push(browse_command(BrowsePurpose::kSaveCheckpoint));
     }},
    {GLFW_KEY_O, kCtrl, "Ctrl+O", "open a checkpoint (file browser)",
     [](const StudioState&, const UiScratch&, Commands& o) {
       o.push(browse_command(BrowsePurpose::kLoadCheckpoint));
     }},
    {GLFW_KEY_F12, kNone, "F12", "screenshot (PNG, in the pictures folder)",
     [](const StudioState&, const UiScratch&, Commands& o) { o.push(Cmd::kScreenshot); }},
    {GLFW_KEY_G, kNone, "G", "record a GIF of the live view from now / stop and save it",
     [](const StudioState& s, const UiScratch&, Commands& o) {
       o.push(s.gif_recording ? Cmd::kStopGif : Cmd::kRecordGif);
     }},
    {GLFW_KEY_F1, kNone, "F1 / H", "this help",
     [](const StudioState& s, const UiScratch&, Commands& o) {
       ViewSettings v = s.view;
       v.show_help = !v.show_help;
       set_view(s, o, v);
     }},
    {GLFW_KEY_H, kNone, nullptr, nullptr,
     [](const StudioState& s, const UiScratch&, Commands& o) {
       ViewSettings v = s.view;
       v.show_help = !v.show_help;
       set_view(s, o, v);
     }},
    {GLFW_KEY_ESCAPE, kNone, "Esc", "close this help",
     [](const StudioState& s, const UiScratch&, Commands& o) {
       if (!s.view.show_help) return;
       ViewSettings v = s.view;
       v.show_help = false;
       set_view(s, o, v);
     }},
    {GLFW_KEY_R, kCtrl, "Ctrl+R", "record the session as a replayable script / stop and save it",
     [](const StudioState& s, const UiScratch&, Commands& o) {
       o.push(s.session.recording ? Cmd::kStopRecording : Cmd::kRecordSession);
     }},
    {GLFW_KEY_C, kCtrl | kShift, "Ctrl+Shift+C", "copy the settings as an rrcnn command line",
     [](const StudioState&, const UiScratch&, Commands& o) {
       Command c{Cmd::kCopyCommand};
       c.path = "render";
       o.push(c);
     }},
    {GLFW_KEY_Q, kCtrl, "Ctrl+Q", "quit (asks first when trained weights are not saved)",
     [](const StudioState&, const UiScratch&, Commands& o) { o.push(Cmd::kQuit); }},
};

}  // namespace

Command save_command(const UiScratch& ui) {
  Command c{Cmd::kSaveCheckpoint};
  c.path = ui.ckpt_path;
  c.flag = ui.save_optimizer;
  return c;
}

Command browse_command(BrowsePurpose purpose) {
  Command c{Cmd::kBrowse};
  c.n = int(purpose);
  return c;
}

bool studio_dialog_open(const StudioState& s, const UiScratch& ui) {
  return !s.errors.empty() || ui.browser.is_open() || s.prompt.kind != Prompt::kNone;
}


void handle_shortcuts(const StudioState& s, const UiScratch& ui, Commands& out) {
  const ImGuiIO& io = ImGui::GetIO();
  FocusState f;
  f.text_input = io.WantTextInput;
  f.popup_open = ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopup);
  f.dialog_open = studio_dialog_open(s, ui);
  if (!shortcuts_allowed(f)) return;
  const int mods = (io.KeyShift ? kShift : 0) | (io.KeyCtrl ? kCtrl : 0);
  for (const Shortcut& k : kShortcuts)
    if (k.mods == mods && ImGui::IsKeyPressed(k.key, false)) k.apply(s, ui, out);
}

void draw_help_window(const StudioState& s, Commands& out) {
  if (!s.view.show_help) return;
  bool open = true;
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 30, 0), ImGuiCond_FirstUseEver);
  if (ImGui::Begin("Help", &open, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::TextDisabled("KEYBOARD");
    if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
      for (const Shortcut& k : kShortcuts) {
        if (!k.keys) continue;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextColored(colors::kAccent, "%s", k.keys);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(k.action);
      }
      ImGui::EndTable();
    }
    ImGui::Spacing();
    ImGui::TextDisabled("MOUSE");
    ImGui::BulletText("left drag on a live tile: paint with the current brush");
    ImGui::BulletText("right drag: erase (damage) in any mode; wheel: brush radius");
    ImGui::BulletText("click a digit's tiles: show its channels in the inspector");
    ImGui::BulletText("drop a .safetensors checkpoint or an IDX file/directory on the window");
    ImGui::Spacing();
    ImGui::TextDisabled("HEADLESS EQUIVALENT OF THE CURRENT SETTINGS");
    ImGui::TextWrapped("%s", s.command_line.c_str());
    if (ImGui::Button("Copy as command")) {  // the same lines, one per Copy (panel_session.cpp)
      Command c{Cmd::kCopyCommand};
      c.path = "render";
      out.push(c);
    }
  }
  ImGui::End();
  if (!open) {
    ViewSettings v = s.view;
    v.show_help = false;
    set_view(s, out, v);
  }
}

}  // namespace rrcnn
