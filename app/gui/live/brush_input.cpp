// Mouse-to-stroke mapping (see brush_input.h).
#include "gui/live/brush_input.h"

#include <algorithm>
#include <cmath>

namespace rrcnn {

bool screen_to_cell(float mx, float my, float ox, float oy, float zoom, int w, int h,
                    CellPoint* out) {
  if (zoom <= 0) return false;
  const CellPoint p{(mx - ox) / zoom, (my - oy) / zoom};
  if (out) *out = p;
  return p.x >= 0 && p.y >= 0 && p.x < float(w) && p.y < float(h);
}

void cell_index(const CellPoint& p, int w, int h, int* cx, int* cy) {
  *cx = std::clamp(int(std::floor(p.x)), 0, w - 1);
  *cy = std::clamp(int(std::floor(p.y)), 0, h - 1);
}

float wheel_radius(float radius, float wheel) {
  // Multiplicative so one notch feels the same at radius 1 and at radius 10.
  const float r = radius * std::pow(1.15f, wheel);
  return std::clamp(r, 0.5f, 12.0f);
}

BrushStroke StrokeBuilder::make(CellPoint a, CellPoint b, const BrushSettings& s) {
  BrushStroke st;
  st.sample = s.all_samples ? -1 : sample_;
  st.x0 = a.x;
  st.y0 = a.y;
  st.x1 = b.x;
  st.y1 = b.y;
  st.radius = s.radius;
  st.mode = s.mode;
  st.strength = s.strength;
  st.serial = ++serial_;
  return st;
}

BrushStroke StrokeBuilder::press(int sample, CellPoint p, const BrushSettings& s) {
  active_ = true;
  sample_ = sample;
  last_ = p;
  return make(p, p, s);
}

BrushStroke StrokeBuilder::drag(CellPoint p, const BrushSettings& s) {
  const CellPoint from = last_;
  last_ = p;
  return make(from, p, s);
}

}  // namespace rrcnn
