// Diverging colour maps: centred at 0, ends distinct, lightness symmetric (so the sign reads
// without relying on hue alone), and the LUT matches the point function.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>

#include "gui/rendering/colormap.h"

using namespace rrcnn;

namespace {
double luma(Rgb8 c) {
  return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
}
}  // namespace

TEST_CASE("colour maps: centre, symmetry, monotone lightness away from the centre") {
  for (ColorMap m : {ColorMap::kDarkCentre, ColorMap::kLightCentre}) {
    CAPTURE(colormap_name(m));
    const Rgb8 mid = colormap_at(m, 0.5f), lo = colormap_at(m, 0.0f), hi = colormap_at(m, 1.0f);
    // Negative ends blue-ish, positive ends red/orange-ish.
    CHECK(lo.b > lo.r);
    CHECK(hi.r > hi.b);
    // Lightness moves the same way on both sides, by about the same amount.
    const double dl = luma(lo) - luma(mid), dh = luma(hi) - luma(mid);
    CHECK(dl * dh > 0);
    CHECK(std::fabs(std::fabs(dl) - std::fabs(dh)) < 0.35 * std::fabs(dh));
    double prev = 0;
    for (int i = 0; i <= 10; ++i) {
      const double d = std::fabs(luma(colormap_at(m, 0.5f + 0.05f * i)) - luma(mid));
      CHECK(d + 1.0 >= prev);  // moves away from the centre's lightness (1 unit of rounding)
      prev = d;
    }
  }
  CHECK(luma(colormap_at(ColorMap::kDarkCentre, 0.5f)) < 30);
  CHECK(luma(colormap_at(ColorMap::kLightCentre, 0.5f)) > 220);
}

TEST_CASE("colour maps: clamping, NaN, LUT and the value mapping") {
  const Rgb8 a = colormap_at(ColorMap::kDarkCentre, -3.0f),
             b = colormap_at(ColorMap::kDarkCentre, 0.0f);
  CHECK((a.r == b.r && a.g == b.g && a.b == b.b));
  const Rgb8 n = colormap_at(ColorMap::kDarkCentre, NAN),
             c = colormap_at(ColorMap::kDarkCentre, 0.5f);
  CHECK((n.r == c.r && n.g == c.g && n.b == c.b));
  const std::vector<uint8_t> lut = colormap_lut(ColorMap::kLightCentre, 256);
  REQUIRE(lut.size() == 256 * 4);
  const Rgb8 e = colormap_at(ColorMap::kLightCentre, 1.0f);
  CHECK(lut[255 * 4 + 0] == e.r);
  CHECK(lut[255 * 4 + 3] == 255);
  CHECK(diverging_t(0.0f, 2.0f) == doctest::Approx(0.5));
  CHECK(diverging_t(1.0f, 2.0f) == doctest::Approx(0.75));
  CHECK(diverging_t(-5.0f, 2.0f) == doctest::Approx(0.0));
  CHECK(diverging_t(1.0f, 0.0f) == doctest::Approx(0.5));
}
