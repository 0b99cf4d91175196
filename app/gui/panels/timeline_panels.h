// The timeline's widgets (panel_timeline.cpp, panel_error_curves.cpp): the scrub bar and the
// error curves under the live cards, the View settings' timeline section, the inspector's
// change map, and the commands the keys send. Declared apart from panels.h so the studio's
// other panels stay as they are.
#pragma once

#include <cstdint>

#include "gui/panels/panels.h"

namespace rrcnn {

// Height the live panel leaves under its cards for the scrub bar and the curves.
float timeline_footer_height(const StudioState& s);
// Drawn at the cursor, `width` wide.
void draw_timeline_footer(const StudioState& s, UiScratch& ui, Commands& out, float width);
// The per-step error curves (MSE or PSNR per digit, batch mean, the fork's original, the dropout
// band, the shown step and the training horizon). Click: show that step.
void draw_error_curves(const StudioState& s, const UiScratch& ui, Commands& out, ImVec2 size);
// The View settings' timeline part (record on/off, ring size with its memory).
void draw_timeline_settings(const StudioState& s, Commands& out);
// The inspector's change map of the selected digit with its legend, and the height it takes.
float timeline_inspector_height(const StudioState& s);
void draw_timeline_inspector(const StudioState& s, const UiScratch& ui, float width);
// Left / Right / Home / End: the step to show (delta -1 / +1, or -2 first, +2 newest).
Command timeline_seek_command(const StudioState& s, int which);
// Colour of digit b's curve (and its card's mark), of `count` digits.
ImVec4 digit_curve_color(int b, int count);

}  // namespace rrcnn
