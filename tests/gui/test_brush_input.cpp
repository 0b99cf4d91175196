// Mouse -> cell mapping, stroke interpolation and the wheel rule.
#include <doctest/doctest.h>

#include "gui/live/brush_input.h"

using namespace rrcnn;

TEST_CASE("screen to cell: origin, zoom, inside and outside") {
  CellPoint p;
  // Tile at (100, 50), 4 screen units per cell, 28 x 28 cells.
  CHECK(screen_to_cell(100, 50, 100, 50, 4, 28, 28, &p));
  CHECK(p.x == doctest::Approx(0));
  CHECK(p.y == doctest::Approx(0));
  CHECK(screen_to_cell(100 + 4 * 14 + 2, 50 + 4 * 3 + 1, 100, 50, 4, 28, 28, &p));
  CHECK(p.x == doctest::Approx(14.5));
  CHECK(p.y == doctest::Approx(3.25));
  int cx = 0, cy = 0;
  cell_index(p, 28, 28, &cx, &cy);
  CHECK(cx == 14);
  CHECK(cy == 3);
  CHECK_FALSE(screen_to_cell(99, 60, 100, 50, 4, 28, 28, &p));            // left of the tile
  CHECK_FALSE(screen_to_cell(100 + 4 * 28, 60, 100, 50, 4, 28, 28, &p));  // right edge is outside
  CHECK(screen_to_cell(100 + 4 * 28 - 0.01f, 60, 100, 50, 4, 28, 28, &p));
  CHECK_FALSE(screen_to_cell(120, 60, 100, 50, 0, 28, 28, &p));  // no zoom, no cells
  cell_index(CellPoint{-3, 40}, 28, 28, &cx, &cy);
  CHECK(cx == 0);
  CHECK(cy == 27);
}

TEST_CASE("strokes: a press is a dot, drags join the previous position, sample sticks") {
  StrokeBuilder sb;
  BrushSettings bs;
  bs.radius = 2;
  bs.mode = BrushMode::kErase;
  const BrushStroke a = sb.press(3, CellPoint{5, 6}, bs);
  CHECK(sb.active());
  CHECK(a.sample == 3);
  CHECK(a.x0 == a.x1);
  CHECK(a.y0 == a.y1);
  CHECK(a.mode == BrushMode::kErase);
  CHECK(a.radius == 2);
  const BrushStroke b = sb.drag(CellPoint{20, 6}, bs);
  CHECK(b.sample == 3);
  CHECK(b.x0 == doctest::Approx(5));
  CHECK(b.x1 == doctest::Approx(20));
  CHECK(b.serial != a.serial);
  // A fast drag leaves no gap: every cell centre on the row between the two positions is covered.
  for (int x = 5; x < 20; ++x) CHECK(brush_covers(b, x, 5));
  const BrushStroke c = sb.drag(CellPoint{20, 20}, bs);
  CHECK(c.x0 == doctest::Approx(20));
  CHECK(c.y0 == doctest::Approx(6));
  sb.release();
  CHECK_FALSE(sb.active());
  bs.all_samples = true;
  CHECK(sb.press(1, CellPoint{1, 1}, bs).sample == -1);
}

TEST_CASE("wheel radius: grows and shrinks multiplicatively, clamped") {
  CHECK(wheel_radius(2, 1) > 2);
  CHECK(wheel_radius(2, -1) < 2);
  CHECK(wheel_radius(2, 1) / 2 == doctest::Approx(wheel_radius(8, 1) / 8));
  CHECK(wheel_radius(11, 10) == doctest::Approx(12));
  CHECK(wheel_radius(0.6f, -10) == doctest::Approx(0.5));
  CHECK(wheel_radius(3, 0) == doctest::Approx(3));
}
