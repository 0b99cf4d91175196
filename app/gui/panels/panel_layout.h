// Where the studio's four panels go, kept usable through any resize: the default arrangement
// for a work area (the window minus menu and status bars), each panel remembered as a fraction
// of the work area so that shrinking the window and growing it back restores the arrangement
// exactly, and the test of whether an arrangement is usable (every panel inside, big enough,
// none covering another), which also decides whether it may be saved for the next launch.
// No window code; unit-tested.
#pragma once

#include <array>
#include <string>

namespace rrcnn {

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
};
bool near(const Rect& a, const Rect& b, float tolerance = 1.5f);

enum PanelId { kControlsPanel = 0, kLivePanel, kInspectorPanel, kTrainingPanel, kPanelCount };
const char* panel_window_name(PanelId p);  // the ImGui window title ("Controls", ...)

using PanelRectSet = std::array<Rect, kPanelCount>;
using PanelShown = std::array<bool, kPanelCount>;

// Controls left, Live in the middle, Inspector over Training on the right; columns shrink in
// proportion on narrow windows.
PanelRectSet default_panel_rects(const Rect& area, float scale);

// Usable: each shown panel is at least `min_w` x `min_h` (or the whole area, when that is
// smaller), at least 90% inside the area, and covers at most 10% of any other shown panel.
bool layout_usable(const PanelRectSet& rects, const PanelShown& shown, const Rect& area,
                   float min_w, float min_h);

class PanelLayout {
 public:
  // The default arrangement for `area`.
  void reset(const Rect& area, float scale);
  // Remembers `rects` (as placed by the user) relative to `area`; only the panels in `which`.
  void adopt(const PanelRectSet& rects, const Rect& area,
             const PanelShown& which = {true, true, true, true});
  // The remembered arrangement placed in `area`.
  PanelRectSet rects_for(const Rect& area) const;
  bool empty() const { return !set_; }
  // One line per panel: "name x y w h" in fractions of the work area. parse() accepts only a
  // complete, sane set (each panel inside the unit square) and leaves the layout alone otherwise.
  std::string serialize() const;
  bool parse(const std::string& text);

 private:
  PanelRectSet fractions_{};
  bool set_ = false;
};

}  // namespace rrcnn
