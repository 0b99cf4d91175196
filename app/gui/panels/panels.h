// The studio's panels. Each is a function of the state (read-only) that appends commands; the
// widget-local bits that must survive between frames (text fields, the stroke being drawn,
// where the tiles were drawn) live in UiScratch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "gui/live/brush_input.h"
#include "gui/rendering/cell_renderer.h"
#include "gui/commands.h"
#include "gui/files/file_browser.h"
#include "gui/studio_state.h"
#include "imgui.h"

namespace rrcnn {

// Where the live tiles of each digit were drawn this frame (screen coordinates), for the
// brush, the script's probes and the hover read-out.
struct LiveGeometry {
  bool valid = false;
  float zoom = 1;
  std::vector<ImVec2> live_origin;  // top-left of digit b's live tile
  int hover_sample = -1, hover_x = -1, hover_y = -1;
  int hover_card = -1;  // the digit card under the pointer (its error curve is highlighted)
  // The brush outline, drawn after every tile so it shows above them.
  bool brush_visible = false;
  ImVec2 brush_center;
  float brush_radius_px = 0;
};

struct UiScratch {
  char ckpt_path[1024] = "";  // the checkpoint "on screen": Save / Ctrl+S and Load use it
  char data_path[1024] = "";
  bool paths_initialised = false;
  FileBrowser browser;
  std::string browser_dir, browser_shown_dir, browser_message;
  bool browser_confirm = false, browser_ok = false, browser_replace = false;
  bool browser_focus_name = false;
  bool save_optimizer = true;
  StrokeBuilder stroke;
  LiveGeometry live;
  bool reset_layout = false;
  bool error_popup_open = false;
  // Scripts move a panel as a drag would (PanelId, or -1) to forced_rect (x, y, w, h).
  int forced_panel = -1;
  ImVec4 forced_rect;
  // The notice toast: which notice, since when (ImGui time), and what was drawn last frame.
  uint64_t toast_serial = 0;
  double toast_since = 0;
  bool toast_animating = false;  // on screen or fading: the frame loop keeps drawing
  std::string toast_shown;
  // Scripts place the pointer over a live cell (the real pointer is ignored in scripted runs).
  int script_hover_sample = -1;
  float script_hover_x = 0, script_hover_y = 0;
  // The New model dialog (panel_new_model.cpp).
  bool new_model_open = false;
  ModelForm new_model_form;
};

void draw_menu_bar(const StudioState& s, UiScratch& ui, Commands& out);
void draw_controls_panel(const StudioState& s, UiScratch& ui, Commands& out);
void draw_model_section(const StudioState& s, Commands& out);
void draw_models_menu(const StudioState& s, Commands& out);
// A/B (ab/panel_ab.cpp): the Controls section, the Model menu's entries, the Live window's line.
void draw_ab_section(const StudioState& s, Commands& out);
void draw_ab_menu(const StudioState& s, Commands& out);
void draw_ab_line(const StudioState& s);
void draw_playback_section(const StudioState& s, Commands& out);
void draw_noise_section(const StudioState& s, Commands& out);
void draw_brush_section(const StudioState& s, Commands& out);
void draw_view_section(const StudioState& s, Commands& out);
void draw_files_section(const StudioState& s, UiScratch& ui, Commands& out);
void draw_live_panel(const StudioState& s, const CellTextures& tex, UiScratch& ui, Commands& out);
void draw_inspector_panel(const StudioState& s, const CellTextures& tex,
                          const std::vector<float>& ranges, UiScratch& ui, Commands& out);
void draw_training_panel(const StudioState& s, UiScratch& ui, Commands& out);
// The New model dialog: the architecture's fields, its parameter count and measured step time.
void draw_new_model_dialog(const StudioState& s, UiScratch& ui, Commands& out);
// The training panel's recipe: reference or pool, with the pool's settings.
void draw_recipe_section(const StudioState& s, Commands& out);
// Earlier runs over the loss plot: the list with their labels, add (recent or a file), remove.
void draw_run_overlays(const StudioState& s, Commands& out);
// `empty_message`: shown while there are no points yet.
// The colour of overlay i on the loss plot (and beside its name in the list).
ImVec4 overlay_color(size_t i);
// `overlays`: earlier runs, each drawn in a colour of its own with its label in the legend.
void draw_loss_plot(const LossHistory& history, const TrainSettings& train,
                    const std::string& empty_message, ImVec2 size,
                    const std::vector<RunLog>& overlays = {});
void draw_status_bar(const StudioState& s, const UiScratch& ui);
// The latest notice (saved, screenshot, GIF...) as a toast above the status line, wrapped to the
// window so it shows whole at any size, for a few seconds.
void draw_notice_toast(const StudioState& s, UiScratch& ui);
void draw_help_window(const StudioState& s, Commands& out);
void draw_error_popup(const StudioState& s, UiScratch& ui, Commands& out);
void draw_file_browser(const StudioState& s, UiScratch& ui, Commands& out);
void draw_prompt(const StudioState& s, Commands& out);
// panel_session.cpp: File menu items for sessions, and the Copy as command dialog.
void draw_session_menu_items(const StudioState& s, Commands& out);
void draw_command_dialog(const StudioState& s, Commands& out);
void handle_shortcuts(const StudioState& s, const UiScratch& ui, Commands& out);
// Save to the path on screen (Ctrl+S, the Save button, File > Save).
Command save_command(const UiScratch& ui);
// Open the file browser for `purpose`.
Command browse_command(BrowsePurpose purpose);
// One of the studio's modal dialogs is up (shortcuts wait).
bool studio_dialog_open(const StudioState& s, const UiScratch& ui);


}  // namespace rrcnn
