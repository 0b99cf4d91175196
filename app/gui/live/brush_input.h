// From the mouse to brush strokes on the live grid: screen position -> cell coordinates of the
// tile under it, and a drag -> capsule strokes from the previous position to the current one so
// a fast drag leaves no gaps. Also the wheel -> radius rule. No window code; unit-tested.
#pragma once

#include <cstdint>

#include "core/brush.h"

namespace rrcnn {

struct BrushSettings {
  BrushMode mode = BrushMode::kDraw;
  float radius = 1.5f;       // cells
  float strength = 1.0f;     // draw: target brightness; noise: standard deviation
  bool all_samples = false;  // paint the same stroke on every digit of the batch
};

struct CellPoint {
  float x = 0, y = 0;  // cell units: cell (i, j) covers [i, i+1) x [j, j+1)
};

// The cell coordinates of screen point (mx, my) on a tile whose top-left corner is (ox, oy)
// and whose cells are `zoom` screen units wide. Returns false when outside the w x h grid.
bool screen_to_cell(float mx, float my, float ox, float oy, float zoom, int w, int h,
                    CellPoint* out);

// Integer cell under a point (floor), clamped to the grid.
void cell_index(const CellPoint& p, int w, int h, int* cx, int* cy);

// Brush radius after `wheel` notches (positive = larger), kept in [0.5, 12].
float wheel_radius(float radius, float wheel);

// Turns press / drag / release into strokes. A press gives a dot; each drag gives the segment
// from the last position; the stroke stays on the sample where it started.
class StrokeBuilder {
 public:
  BrushStroke press(int sample, CellPoint p, const BrushSettings& s);
  BrushStroke drag(CellPoint p, const BrushSettings& s);
  void release() { active_ = false; }
  bool active() const { return active_; }
  int sample() const { return sample_; }

 private:
  BrushStroke make(CellPoint a, CellPoint b, const BrushSettings& s);
  bool active_ = false;
  int sample_ = 0;
  CellPoint last_;
  uint32_t serial_ = 0;
};

}  // namespace rrcnn
