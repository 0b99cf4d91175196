// The studio's look: a dark theme with one accent colour, sizes scaled for HiDPI, and the
// few semantic colours panels share (state badges, plot lines).
#pragma once

#include "imgui.h"

namespace rrcnn {

// Resets the style to the studio theme at `scale` (1 = 96 dpi).
void apply_theme(float scale);

namespace colors {
inline const ImVec4 kAccent{0.26f, 0.56f, 0.92f, 1.0f};
inline const ImVec4 kText{0.90f, 0.92f, 0.95f, 1.0f};
inline const ImVec4 kDim{0.55f, 0.58f, 0.64f, 1.0f};
inline const ImVec4 kGood{0.36f, 0.80f, 0.48f, 1.0f};
inline const ImVec4 kWarn{0.98f, 0.72f, 0.26f, 1.0f};
inline const ImVec4 kBad{0.95f, 0.36f, 0.34f, 1.0f};
inline const ImVec4 kLoss{0.36f, 0.66f, 1.0f, 1.0f};
inline const ImVec4 kLossAvg{0.98f, 0.72f, 0.26f, 1.0f};
inline const ImVec4 kLr{0.70f, 0.52f, 0.95f, 1.0f};
}  // namespace colors

}  // namespace rrcnn
