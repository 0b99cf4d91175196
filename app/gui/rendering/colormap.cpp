// Colour map control points and interpolation (see colormap.h).
#include "gui/rendering/colormap.h"

#include <algorithm>
#include <cmath>

namespace rrcnn {
namespace {

struct Stop {
  float t;
  float r, g, b;
};

// Hand-tuned so lightness rises symmetrically away from the black centre.
const Stop kDark[] = {
    {0.00f, 173, 216, 255}, {0.20f, 66, 146, 214}, {0.40f, 28, 64, 110},   {0.50f, 16, 16, 18},
    {0.60f, 112, 50, 20},   {0.80f, 230, 124, 42}, {1.00f, 255, 226, 160},
};
// ColorBrewer RdBu (11 classes), reversed so negative is blue.
const Stop kLight[] = {
    {0.0f, 5, 48, 97},     {0.1f, 33, 102, 172},  {0.2f, 67, 147, 195},  {0.3f, 146, 197, 222},
    {0.4f, 209, 229, 240}, {0.5f, 247, 247, 247}, {0.6f, 253, 219, 199}, {0.7f, 244, 165, 130},
    {0.8f, 214, 96, 77},   {0.9f, 178, 24, 43},   {1.0f, 103, 0, 31},
};

template <size_t N>
Rgb8 interpolate(const Stop (&stops)[N], float t) {
  t = std::clamp(std::isnan(t) ? 0.5f : t, 0.0f, 1.0f);
  size_t i = 1;
  while (i + 1 < N && stops[i].t < t) ++i;
  const Stop& a = stops[i - 1];
  const Stop& b = stops[i];
  const float u = (t - a.t) / (b.t - a.t);
  auto mix = [u](float x, float y) { return uint8_t(std::lround(x + (y - x) * u)); };
  return {mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b)};
}

}  // namespace

const char* colormap_name(ColorMap m) {
  return m == ColorMap::kLightCentre ? "light centre (blue-white-red)"
                                     : "dark centre (blue-black-orange)";
}

Rgb8 colormap_at(ColorMap m, float t) {
  return m == ColorMap::kLightCentre ? interpolate(kLight, t) : interpolate(kDark, t);
}

std::vector<uint8_t> colormap_lut(ColorMap m, int n) {
  std::vector<uint8_t> lut(size_t(n) * 4);
  for (int i = 0; i < n; ++i) {
    const Rgb8 c = colormap_at(m, n > 1 ? float(i) / float(n - 1) : 0.5f);
    lut[size_t(i) * 4 + 0] = c.r;
    lut[size_t(i) * 4 + 1] = c.g;
    lut[size_t(i) * 4 + 2] = c.b;
    lut[size_t(i) * 4 + 3] = 255;
  }
  return lut;
}

float diverging_t(float v, float range) {
  if (!(range > 0) || std::isnan(v)) return 0.5f;
  return std::clamp(0.5f + 0.5f * v / range, 0.0f, 1.0f);
}

}  // namespace rrcnn
