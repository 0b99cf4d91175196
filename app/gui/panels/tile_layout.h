// Where the digit cards of the live view go: one card per sample with its tiles (noisy, live,
// target, and optionally the inspected channel or error map) side by side. Picks the largest
// zoom (screen units per cell) at which every card fits, over every column count, so the tiles
// grow with the window; with `fractional` off, integer zooms only. Tiles stay whole pixels wide
// (nearest-neighbour scaling keeps cells crisp). No window code; unit-tested.
#pragma once

namespace rrcnn {

struct TileLayoutInput {
  float avail_w = 0, avail_h = 0;  // content region
  int batch = 8;
  int tiles = 3;                 // tiles per card
  int grid_w = 28, grid_h = 28;  // cells
  float tile_gap = 4;            // between the tiles of a card
  float card_gap_x = 16, card_gap_y = 10;
  float card_extra_h = 40;  // header + metrics lines per card
  int min_zoom = 2, max_zoom = 16;
  bool fractional = true;  // zooms between the integers, so the cards fill the room
};

struct TileLayout {
  float zoom = 2;  // screen units per cell
  int columns = 1, rows = 1;
  float tile_w = 0, tile_h = 0;
  float card_w = 0, card_h = 0;
  bool fits = false;  // false: min_zoom did not fit, the view scrolls
  // Top-left of card `i` relative to the content origin.
  float card_x(int i) const;
  float card_y(int i) const;
  // Top-left of tile `t` inside a card, relative to the card.
  float tile_x(int t) const;
  float gap_x = 16, gap_y = 10, tile_gap = 4, extra_h = 40;
};

TileLayout compute_tile_layout(const TileLayoutInput& in);

}  // namespace rrcnn
