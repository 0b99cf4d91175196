// Brush strokes on the live grid: which cells a stroke covers and what it does to them. Both are
// host-device functions so the CUDA backend applies strokes on the device with the same geometry
// and the same per-cell edit as the CPU backend and the tests.
#pragma once

#include <cmath>
#include <cstdint>

#include "core/hd.h"
#include "core/rng.h"

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

// The studio's default brush radius (app/gui/live/brush_input.h starts there too), so the
// measured and trained damage is the stroke a user makes without touching the slider.
constexpr float kDefaultBrushRadius = 1.5f;

// A straight stroke of `length` cells centred on cell (cx, cy) at `angle` radians (0: along x),
// as a mouse drag across a digit leaves it; length 0 is a dab (a disc). Host-only helper for the
// repair evaluation and the pool trainer's damage, which must make the same strokes.
inline BrushStroke centred_stroke(int sample, int cx, int cy, float length, float angle,
                                  float radius, BrushMode mode, float strength = 1.0f) {
  BrushStroke s;
  s.sample = sample;
  const float mx = float(cx) + 0.5f, my = float(cy) + 0.5f;  // cell centres at integer + 0.5
  const float hx = 0.5f * length * std::cos(angle), hy = 0.5f * length * std::sin(angle);
  s.x0 = mx - hx;
  s.y0 = my - hy;
  s.x1 = mx + hx;
  s.y1 = my + hy;
  s.radius = radius;
  s.mode = mode;
  s.strength = strength;
  return s;
}

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

// What a stroke does to one covered cell: `cell` points at its C channels; (sample, y, x) name it
// for the noise draw, keyed by rng_key(live seed, RngStream::kBrush) and the stroke's serial.
RRCNN_HD void brush_apply_cell(const BrushStroke& s, RngKey key, int sample, int x, int y,
                               int width, int channels, float* cell) {
  float& image = cell[channels - 1];
  switch (s.mode) {
    case BrushMode::kDraw:
      image = image < s.strength ? s.strength : image;  // std::max(image, strength)
      break;
    case BrushMode::kErase:
      for (int c = 0; c < channels; ++c) cell[c] = 0.0f;
      break;
    case BrushMode::kNoise: {
      const Philox4 r = rng_draw(key, s.serial, 0, uint32_t(sample), uint32_t(y * width + x));
      image += s.strength * rng_normal(r.v[0], r.v[1]);
      break;
    }
  }
}

}  // namespace rrcnn
