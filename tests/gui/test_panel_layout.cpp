// Panel arrangement: defaults fill the work area without overlap at any size; shrinking and
// growing back restores the arrangement; what counts as unusable.
#include <doctest/doctest.h>

#include "gui/panels/panel_layout.h"

using namespace rrcnn;

namespace {
const PanelShown kAll = {true, true, true, true};
}

TEST_CASE("default layout: fills the work area, no overlap, at wide and narrow sizes") {
  for (const Rect area : {Rect{0, 22, 1600, 914}, Rect{0, 20, 900, 600}, Rect{0, 20, 640, 400}}) {
    const PanelRectSet r = default_panel_rects(area, 1.0f);
    CHECK(layout_usable(r, kAll, area, 120, 100));
    float covered = 0;
    for (const Rect& p : r) covered += p.w * p.h;
    CHECK(covered == doctest::Approx(area.w * area.h));
    CHECK(r[kLivePanel].w >= 0.3f * area.w);  // the live view keeps a third at least
  }
}

TEST_CASE("layout: shrink and grow back restores every panel") {
  const Rect big{0, 22, 1600, 914}, tiny{0, 22, 420, 260};
  PanelLayout L;
  L.reset(big, 1.0f);
  // The user widens the Live panel (Inspector and Training narrower).
  PanelRectSet mine = L.rects_for(big);
  mine[kLivePanel].w += 100;
  mine[kInspectorPanel].x += 100;
  mine[kInspectorPanel].w -= 100;
  mine[kTrainingPanel].x += 100;
  mine[kTrainingPanel].w -= 100;
  REQUIRE(layout_usable(mine, kAll, big, 120, 100));
  L.adopt(mine, big);
  const PanelRectSet small = L.rects_for(tiny);
  CHECK(layout_usable(small, kAll, tiny, 50, 40));  // proportional: still no overlap
  const PanelRectSet back = L.rects_for(big);
  for (int i = 0; i < kPanelCount; ++i) CHECK(near(back[size_t(i)], mine[size_t(i)], 1.0f));
}

TEST_CASE("layout: overlap, panels outside the window and tiny panels are unusable") {
  const Rect area{0, 20, 1280, 760};
  PanelRectSet r = default_panel_rects(area, 1.0f);
  CHECK(layout_usable(r, kAll, area, 120, 100));
  PanelRectSet over = r;
  over[kTrainingPanel] = over[kControlsPanel];  // Training on top of Controls
  CHECK_FALSE(layout_usable(over, kAll, area, 120, 100));
  PanelShown no_training = kAll;
  no_training[kTrainingPanel] = false;  // hidden panels do not count
  CHECK(layout_usable(over, no_training, area, 120, 100));
  PanelRectSet gone = r;
  gone[kInspectorPanel].x = 2000;  // off screen
  CHECK_FALSE(layout_usable(gone, kAll, area, 120, 100));
  PanelRectSet small = r;
  small[kLivePanel].w = 40;
  CHECK_FALSE(layout_usable(small, kAll, area, 120, 100));
  // A window smaller than the minimum: panels that fill it are as big as they can be.
  const Rect tiny{0, 20, 100, 80};
  CHECK(layout_usable(default_panel_rects(tiny, 1.0f), {true, false, false, false}, tiny, 120, 100)
        == false);  // Controls alone is 30 px wide: not usable
}

TEST_CASE("layout: saved as fractions, read back; damaged files are refused") {
  const Rect area{0, 22, 1600, 914};
  PanelLayout L;
  L.reset(area, 1.0f);
  PanelLayout M;
  REQUIRE(M.parse(L.serialize()));
  for (int i = 0; i < kPanelCount; ++i)
    CHECK(near(M.rects_for(area)[size_t(i)], L.rects_for(area)[size_t(i)], 1.0f));
  PanelLayout N;
  CHECK_FALSE(N.parse(""));
  CHECK_FALSE(N.parse("Controls 0 0 0.2 1\n"));                     // incomplete
  CHECK_FALSE(N.parse("Controls 0 0 2 1\nLive 0 0 1 1\nInspector 0 0 1 1\nTraining 0 0 1 1\n"));
  CHECK_FALSE(N.parse("Bogus 0 0 1 1\n"));
  CHECK(N.empty());
  // Adopting only some panels leaves the others where they were.
  PanelRectSet r = L.rects_for(area);
  r[kLivePanel].w -= 50;
  r[kControlsPanel].w = 5;  // collapsed, say: not adopted
  L.adopt(r, area, {false, true, false, false});
  CHECK(L.rects_for(area)[kLivePanel].w == doctest::Approx(r[kLivePanel].w).epsilon(0.002));
  CHECK(L.rects_for(area)[kControlsPanel].w > 100);
}
