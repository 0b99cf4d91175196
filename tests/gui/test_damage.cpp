// The changed-tile grid behind partial redraw (app/gui/rendering/damage.h).
#include <doctest/doctest.h>

#include <vector>

#include "gui/rendering/damage.h"

namespace rrcnn {
namespace {

struct Prim {
  float x0, y0, x1, y1;
  uint64_t key;
};

std::vector<PixelRect> frame(DamageGrid& g, int w, int h, const std::vector<Prim>& prims) {
  g.begin(w, h);
  for (const Prim& p : prims) g.add(p.x0, p.y0, p.x1, p.y1, p.key);
  return g.finish();
}

bool covers(const std::vector<PixelRect>& rects, int x, int y) {
  for (const PixelRect& r : rects)
    if (x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h) return true;
  return false;
}

const std::vector<Prim> kScene = {{0, 0, 320, 200, 1},      // background
                                  {10, 10, 60, 30, 2},      // a label
                                  {200, 100, 300, 190, 3}};  // an image

}  // namespace

TEST_CASE("damage: the first frame is drawn whole, an identical one not at all") {
  DamageGrid g(32);
  const auto first = frame(g, 320, 200, kScene);
  REQUIRE(first.size() == 1);
  CHECK(first[0].x == 0);
  CHECK(first[0].y == 0);
  CHECK(first[0].w == 320);
  CHECK(first[0].h == 200);  // clamped to the frame, not to the tile grid (224)
  CHECK(g.damaged_fraction() == doctest::Approx(1.0));
  CHECK(frame(g, 320, 200, kScene).empty());
  CHECK(g.damaged_fraction() == 0.0);
}

TEST_CASE("damage: a changed primitive damages the tiles it touches, no others") {
  DamageGrid g(32);
  frame(g, 320, 200, kScene);
  auto changed = kScene;
  changed[2].key = 33;  // the image's pixels changed
  const auto rects = frame(g, 320, 200, changed);
  REQUIRE(!rects.empty());
  CHECK(covers(rects, 200, 100));
  CHECK(covers(rects, 299, 189));
  CHECK(!covers(rects, 20, 20));  // the label stays
  CHECK(g.damaged_fraction() < 0.4);
  // A primitive that moved damages where it was and where it is.
  auto moved = changed;
  moved[1] = {10, 150, 60, 170, 2};
  const auto after_move = frame(g, 320, 200, moved);
  CHECK(covers(after_move, 20, 20));
  CHECK(covers(after_move, 20, 160));
  CHECK(!covers(after_move, 250, 150));
}

TEST_CASE("damage: drawing order counts") {
  DamageGrid g(32);
  frame(g, 320, 200, kScene);
  std::vector<Prim> swapped = {kScene[0], kScene[2], kScene[1]};
  // The label and the image touch no common tile: each tile sees its primitives in the same
  // order as before, so nothing changed.
  CHECK(frame(g, 320, 200, swapped).empty());
  std::vector<Prim> over = {kScene[0], {0, 0, 100, 100, 7}, {50, 50, 150, 150, 8}};
  frame(g, 320, 200, over);
  std::vector<Prim> under = {kScene[0], {50, 50, 150, 150, 8}, {0, 0, 100, 100, 7}};
  const auto rects = frame(g, 320, 200, under);
  CHECK(covers(rects, 75, 75));     // where they overlap, the other one is on top now
  CHECK(!covers(rects, 300, 190));  // far away nothing changed
}

TEST_CASE("damage: a new size or invalidate() redraws everything") {
  DamageGrid g(32);
  frame(g, 320, 200, kScene);
  auto rects = frame(g, 330, 200, kScene);
  REQUIRE(rects.size() == 1);
  CHECK(rects[0].w == 330);
  frame(g, 330, 200, kScene);
  g.invalidate();
  rects = frame(g, 330, 200, kScene);
  REQUIRE(rects.size() == 1);
  CHECK(rects[0].area() == 330 * 200);
}

TEST_CASE("damage: many scattered changes merge into at most max_rects rectangles") {
  DamageGrid g(16);
  std::vector<Prim> dots;
  for (int i = 0; i < 40; ++i) dots.push_back({float(i * 40 % 640), float(i * 97 % 480), float(i * 40 % 640 + 2), float(i * 97 % 480 + 2), uint64_t(i)});
  frame(g, 640, 480, dots);
  for (Prim& d : dots) d.key += 1000;
  g.begin(640, 480);
  for (const Prim& p : dots) g.add(p.x0, p.y0, p.x1, p.y1, p.key);
  const auto rects = g.finish(8);
  CHECK(rects.size() <= 8);
  for (const Prim& d : dots) CHECK(covers(rects, int(d.x0), int(d.y0)));
}

TEST_CASE("damage: boxes outside the frame or empty are ignored") {
  DamageGrid g(32);
  frame(g, 320, 200, kScene);
  auto more = kScene;
  more.push_back({400, 300, 500, 400, 9});  // off screen
  more.push_back({50, 50, 40, 60, 10});     // empty
  CHECK(frame(g, 320, 200, more).empty());
}

}  // namespace rrcnn
