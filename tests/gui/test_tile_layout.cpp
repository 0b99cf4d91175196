// Card layout of the live view: integer zoom, columns, fitting.
#include <cmath>

#include <doctest/doctest.h>

#include "gui/panels/tile_layout.h"

using namespace rrcnn;

namespace {

// The Live panel's cards in a room of w x h: 8 digits, 3 tiles each, the panel's gaps and caption.
TileLayoutInput eight_cards(float w, float h) {
  TileLayoutInput in;
  in.avail_w = w;
  in.avail_h = h;
  in.batch = 8;
  in.tiles = 3;
  in.tile_gap = 6;
  in.card_gap_x = 22;
  in.card_gap_y = 12;
  in.card_extra_h = 20;
  return in;
}

}  // namespace

TEST_CASE("tile layout: largest integer zoom that fits") {
  TileLayoutInput in = eight_cards(740, 860);
  in.fractional = false;
  const TileLayout l = compute_tile_layout(in);
  CHECK(l.fits);
  CHECK(l.zoom == 4);
  CHECK(l.columns == 2);
  CHECK(l.rows == 4);
  CHECK(l.tile_w == 112);
  CHECK(l.card_w == 3 * 112 + 2 * 6);
  CHECK(l.columns * l.card_w + (l.columns - 1) * l.gap_x <= in.avail_w);
  CHECK(l.rows * l.card_h + (l.rows - 1) * l.gap_y <= in.avail_h);
  // One zoom step more would not fit.
  in.min_zoom = l.zoom + 1;
  in.max_zoom = l.zoom + 1;
  CHECK_FALSE(compute_tile_layout(in).fits);
}

TEST_CASE("tile layout: positions of cards and tiles") {
  TileLayoutInput in;
  in.avail_w = 2000;
  in.avail_h = 2000;
  in.batch = 3;
  in.tiles = 4;
  in.max_zoom = 4;
  const TileLayout l = compute_tile_layout(in);
  CHECK(l.zoom == in.max_zoom);
  CHECK(l.columns == 3);  // never more columns than digits
  CHECK(l.rows == 1);
  CHECK(l.card_x(0) == 0);
  CHECK(l.card_x(1) == doctest::Approx(l.card_w + l.gap_x));
  CHECK(l.card_y(2) == 0);
  CHECK(l.tile_x(2) == doctest::Approx(2 * (l.tile_w + l.tile_gap)));
}

TEST_CASE("tile layout: too small a window falls back to the minimum zoom and scrolls") {
  TileLayoutInput in;
  in.avail_w = 100;
  in.avail_h = 50;
  in.batch = 16;
  const TileLayout l = compute_tile_layout(in);
  CHECK_FALSE(l.fits);
  CHECK(l.zoom == in.min_zoom);
  CHECK(l.columns == 1);
  CHECK(l.rows == 16);
}

TEST_CASE("tile layout: fractional zoom fills the room, tiles whole pixels wide") {
  // The Live panel at 1600x1000: 8 digits, 3 tiles each. Integer zooms left much of it empty.
  TileLayoutInput in = eight_cards(640, 800);
  TileLayoutInput whole = in;
  whole.fractional = false;
  const TileLayout a = compute_tile_layout(whole), l = compute_tile_layout(in);
  REQUIRE(l.fits);
  CHECK(l.zoom > a.zoom);
  CHECK(l.tile_w == doctest::Approx(std::round(l.tile_w)));
  // The cards span the width (within a tile's rounding) or the height.
  const float used_w = l.columns * l.card_w + (l.columns - 1) * l.gap_x;
  const float used_h = l.rows * l.card_h + (l.rows - 1) * l.gap_y;
  CHECK((used_w > in.avail_w - 3 * in.tiles * l.columns || used_h > in.avail_h - 28 * l.rows));
  CHECK(used_w <= in.avail_w);
  CHECK(used_h <= in.avail_h);
  // One canvas (batch 1) in the same room is far larger.
  in.batch = 1;
  const TileLayout one = compute_tile_layout(in);
  CHECK(one.zoom > 2 * l.zoom);
}
