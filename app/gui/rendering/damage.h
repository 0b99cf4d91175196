// Which parts of the window changed since the last frame, so a software OpenGL (Mesa's
// llvmpipe, where drawing the whole 1600x960 window costs most of a frame) redraws and shows
// only those. The window is cut into square tiles; every primitive the UI draws is summed up by
// a key (its vertices, texture and its pixels' version, clip rectangle) and folded, in drawing
// order, into the hash of each tile its bounding box touches. A tile whose hash equals last
// frame's was drawn by the same primitives in the same order over the same pixels, so its
// pixels are the same: only the other tiles are redrawn, and the picture is exactly the one a
// full redraw gives. No GL or ImGui here (rendering/imgui_damage.cpp walks ImGui's draw data).
#pragma once

#include <cstdint>
#include <vector>

namespace rrcnn {

// Framebuffer pixels, top-left origin.
struct PixelRect {
  int x = 0, y = 0, w = 0, h = 0;
  int64_t area() const { return int64_t(w) * h; }
};

class DamageGrid {
 public:
  explicit DamageGrid(int tile = 32) : tile_(tile) {}
  // A new frame of `width` x `height` pixels follows (a new size damages everything).
  void begin(int width, int height);
  // A primitive that covers at most [x0, x1) x [y0, y1) (bounding box already clipped by the
  // caller or not: it is clamped to the frame), summed up by `key`. Call in drawing order.
  void add(float x0, float y0, float x1, float y1, uint64_t key);
  // The next frame counts as changed everywhere (window exposed, fonts rebuilt...).
  void invalidate() { valid_ = false; }
  // Tile-aligned rectangles (clamped to the frame) covering every tile that differs from the
  // last frame: rows of changed tiles, stacked where consecutive rows cover the same columns;
  // more than `max_rects` become their bounding box. Empty: the frame looks like the last one.
  std::vector<PixelRect> finish(int max_rects = 24);
  // Share of the frame's pixels in the last finish()'s rectangles (0..1).
  double damaged_fraction() const { return fraction_; }
  int tile() const { return tile_; }
  int runs() const { return runs_; }  // rectangles before merging, last finish()

 private:
  int tile_;
  int width_ = 0, height_ = 0, cols_ = 0, rows_ = 0;
  std::vector<uint64_t> now_, last_;
  bool valid_ = false;
  double fraction_ = 1.0;
  int runs_ = 0;
};

// Folds 64-bit words into a key (order matters), for callers building primitive keys.
inline uint64_t damage_mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  h *= 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 32);
}

}  // namespace rrcnn
