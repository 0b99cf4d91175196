// Card grid arithmetic (see tile_layout.h).
#include "gui/panels/tile_layout.h"

#include <algorithm>
#include <cmath>

namespace rrcnn {
namespace {

TileLayout layout_for_zoom(const TileLayoutInput& in, float zoom, int columns = 0) {
  TileLayout l;
  l.zoom = zoom;
  l.gap_x = in.card_gap_x;
  l.gap_y = in.card_gap_y;
  l.tile_gap = in.tile_gap;
  l.extra_h = in.card_extra_h;
  l.tile_w = float(in.grid_w * zoom);
  l.tile_h = float(in.grid_h * zoom);
  l.card_w = in.tiles * l.tile_w + (in.tiles - 1) * in.tile_gap;
  l.card_h = l.tile_h + in.card_extra_h;
  const int fit_cols =
      columns > 0 ? columns : int((in.avail_w + in.card_gap_x) / (l.card_w + in.card_gap_x));
  l.columns = std::clamp(fit_cols, 1, std::max(1, in.batch));
  l.rows = (in.batch + l.columns - 1) / l.columns;
  const float need_h = l.rows * l.card_h + (l.rows - 1) * in.card_gap_y;
  const float need_w = l.columns * l.card_w + (l.columns - 1) * in.card_gap_x;
  l.fits = fit_cols >= 1 && need_h <= in.avail_h + 0.01f && need_w <= in.avail_w + 0.01f;
  return l;
}

// The largest zoom for `columns` columns, tiles whole pixels wide; 0 when none fits.
float fractional_zoom(const TileLayoutInput& in, int columns) {
  const int rows = (in.batch + columns - 1) / columns;
  const float tiles_w =
      (in.avail_w - (columns - 1) * in.card_gap_x) / columns - (in.tiles - 1) * in.tile_gap;
  const float zw = tiles_w / float(in.tiles * in.grid_w);
  const float zh = ((in.avail_h - (rows - 1) * in.card_gap_y) / rows - in.card_extra_h) /
                   float(in.grid_h);
  float z = std::min({zw, zh, float(in.max_zoom)});
  z = std::floor(z * in.grid_w) / float(in.grid_w);  // whole-pixel tiles
  return z;
}

}  // namespace

float TileLayout::card_x(int i) const {
  return float(i % columns) * (card_w + gap_x);
}
float TileLayout::card_y(int i) const {
  return float(i / columns) * (card_h + gap_y);
}
float TileLayout::tile_x(int t) const {
  return float(t) * (tile_w + tile_gap);
}

TileLayout compute_tile_layout(const TileLayoutInput& in) {
  if (in.fractional) {
    float best = 0;
    int best_cols = 1;
    for (int c = 1; c <= std::max(1, in.batch); ++c) {
      const float z = fractional_zoom(in, c);
      if (z >= best - 1e-4f) {  // a tie (the zoom cap): more columns, fewer rows
        best = z;
        best_cols = c;
      }
    }
    if (best >= float(in.min_zoom)) {
      const TileLayout l = layout_for_zoom(in, best, best_cols);
      if (l.fits) return l;
    }
  }
  for (int z = in.max_zoom; z > in.min_zoom; --z) {
    const TileLayout l = layout_for_zoom(in, z);
    if (l.fits) return l;
  }
  return layout_for_zoom(in, in.min_zoom);
}

}  // namespace rrcnn
