// Brush strokes on the live grid: which cells a stroke covers and what it does to them. The
// coverage test is a host-device function so the CUDA backend applies strokes on the device
// with the same geometry the CPU backend and the tests use.
#pragma once

#include <cstdint>

#include "core/hd.h"

namespace rrcnn {

enum class BrushMode : int {
  kDraw = 0,   // raise the image channel towards `strength`
  kErase = 1,  // zero every channel of the cell: damage the automaton
  kNoise = 2,  // add Gaussian noise of sd `strength` to the image channel
};

inline const char* brush_mode_name(BrushMode mode) {
  switch (mode) {
    case BrushMode::kDraw: return "draw";
    case BrushMode::kErase: return "erase";
    case BrushMode::kNoise: return "noise";
  }
  return "?";
}

// A capsule from (x0, y0) to (x1, y1) in cell units (cell centres at integer + 0.5), so a fast
// mouse drag between two frames leaves no gaps.
struct BrushStroke {
  int sample = 0;          // which digit of the batch; -1 = all
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  float radius = 1.5f;     // cells
  BrushMode mode = BrushMode::kDraw;
  float strength = 1.0f;
  uint32_t serial = 0;     // distinguishes noise draws of successive strokes
};

// Squared distance from the centre of cell (x, y) to the stroke's segment.
RRCNN_HD float brush_distance2(const BrushStroke& s, int x, int y) {
  const float px = x + 0.5f, py = y + 0.5f;
  const float dx = s.x1 - s.x0, dy = s.y1 - s.y0;
  const float len2 = dx * dx + dy * dy;
  float t = len2 > 0.0f ? ((px - s.x0) * dx + (py - s.y0) * dy) / len2 : 0.0f;
  t = t < 0.0f ? 0.0f : (t > 1.0f ? 1.0f : t);
  const float qx = s.x0 + t * dx - px, qy = s.y0 + t * dy - py;
  return qx * qx + qy * qy;
}

RRCNN_HD bool brush_covers(const BrushStroke& s, int x, int y) {
  return brush_distance2(s, x, y) <= s.radius * s.radius;
}

}  // namespace rrcnn
