// Card grid arithmetic (see tile_layout.h).
#include "gui/panels/tile_layout.h"

#include <algorithm>

namespace rrcnn {
namespace {

TileLayout layout_for_zoom(const TileLayoutInput& in, int zoom) {
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
  const int fit_cols = int((in.avail_w + in.card_gap_x) / (l.card_w + in.card_gap_x));
  l.columns = std::clamp(fit_cols, 1, std::max(1, in.batch));
  l.rows = (in.batch + l.columns - 1) / l.columns;
  const float need_h = l.rows * l.card_h + (l.rows - 1) * in.card_gap_y;
  l.fits = fit_cols >= 1 && need_h <= in.avail_h;
  return l;
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
  for (int z = in.max_zoom; z > in.min_zoom; --z) {
    const TileLayout l = layout_for_zoom(in, z);
    if (l.fits) return l;
  }
  return layout_for_zoom(in, in.min_zoom);
}

}  // namespace rrcnn
