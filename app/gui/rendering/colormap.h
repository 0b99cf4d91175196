// Diverging colour maps for the hidden channels and the error map, centred at 0 and safe for
// the common colour-vision deficiencies (blue against orange/red, lightness symmetric about the
// centre). The shaders sample a 256-entry lookup table built here, so the CPU (legend, tests)
// and the GPU show the same colours.
#pragma once

#include <cstdint>
#include <vector>

namespace rrcnn {

enum class ColorMap : int {
  kDarkCentre = 0,   // black at 0, blue below, orange above (suits the dark theme)
  kLightCentre = 1,  // white at 0, blue below, red above (ColorBrewer RdBu)
};

const char* colormap_name(ColorMap m);

struct Rgb8 {
  uint8_t r = 0, g = 0, b = 0;
};

// t in [0, 1] (0.5 = value 0); clamped.
Rgb8 colormap_at(ColorMap m, float t);

// `n` RGBA entries (alpha 255) for a 1D texture.
std::vector<uint8_t> colormap_lut(ColorMap m, int n = 256);

// Maps a signed value to t with a symmetric range: 0.5 + 0.5 * v / range, clamped.
float diverging_t(float v, float range);

}  // namespace rrcnn
