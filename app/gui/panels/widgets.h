// Small widget helpers shared by the panels: tooltips, section headers, coloured state badges.
#pragma once

#include "imgui.h"

namespace rrcnn {

// Tooltip for the last item, shown on hover (every control has one).
void tip(const char* text);
// A collapsible section header (open by default); false when collapsed.
bool section(const char* title);
// Text in a rounded coloured box ("RUNNING").
void badge(const char* text, ImVec4 color);
// A button that looks pressed when `on`.
bool toggle_button(const char* label, bool on, ImVec2 size = ImVec2(0, 0));
// "label  value" row with the value right-aligned in a column.
void stat_row(const char* label, const char* value, ImVec4 color = ImVec4(0, 0, 0, 0));

}  // namespace rrcnn
