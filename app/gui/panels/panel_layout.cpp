// Panel arrangement rules (see panel_layout.h).
#include "gui/panels/panel_layout.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace rrcnn {
namespace {

float overlap(const Rect& a, const Rect& b) {
  const float w = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
  const float h = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0.0f;
}

}  // namespace

bool near(const Rect& a, const Rect& b, float t) {
  return std::fabs(a.x - b.x) <= t && std::fabs(a.y - b.y) <= t && std::fabs(a.w - b.w) <= t &&
         std::fabs(a.h - b.h) <= t;
}

const char* panel_window_name(PanelId p) {
  switch (p) {
    case kControlsPanel:
      return "Controls";
    case kLivePanel:
      return "Live";
    case kInspectorPanel:
      return "Inspector";
    case kTrainingPanel:
      return "Training";
    case kPanelCount:
      break;
  }
  return "?";
}

PanelRectSet default_panel_rects(const Rect& a, float scale) {
  const float left_w = std::round(std::min(330 * scale, a.w * 0.3f));
  const float right_w = std::round(std::min(520 * scale, a.w * 0.34f));
  const float mid_w = a.w - left_w - right_w;
  const float inspector_h = std::round(a.h * 0.52f);
  PanelRectSet r;
  r[kControlsPanel] = {a.x, a.y, left_w, a.h};
  r[kLivePanel] = {a.x + left_w, a.y, mid_w, a.h};
  r[kInspectorPanel] = {a.x + left_w + mid_w, a.y, right_w, inspector_h};
  r[kTrainingPanel] = {a.x + left_w + mid_w, a.y + inspector_h, right_w, a.h - inspector_h};
  return r;
}

bool layout_usable(const PanelRectSet& r, const PanelShown& shown, const Rect& area, float min_w,
                   float min_h) {
  const float need_w = std::min(min_w, area.w), need_h = std::min(min_h, area.h);
  for (int i = 0; i < kPanelCount; ++i) {
    if (!shown[size_t(i)]) continue;
    const Rect& p = r[size_t(i)];
    if (!(p.w >= need_w - 0.5f && p.h >= need_h - 0.5f)) return false;
    if (overlap(p, area) < 0.9f * p.w * p.h) return false;
    for (int j = i + 1; j < kPanelCount; ++j) {
      if (!shown[size_t(j)]) continue;
      const Rect& q = r[size_t(j)];
      if (overlap(p, q) > 0.1f * std::min(p.w * p.h, q.w * q.h)) return false;
    }
  }
  return true;
}

void PanelLayout::reset(const Rect& area, float scale) {
  adopt(default_panel_rects(area, scale), area);
}

void PanelLayout::adopt(const PanelRectSet& rects, const Rect& area, const PanelShown& which) {
  if (area.w <= 0 || area.h <= 0) return;
  for (size_t i = 0; i < rects.size(); ++i) {
    if (!which[i]) continue;
    const Rect& r = rects[i];
    fractions_[i] = {(r.x - area.x) / area.w, (r.y - area.y) / area.h, r.w / area.w, r.h / area.h};
  }
  set_ = true;
}

PanelRectSet PanelLayout::rects_for(const Rect& area) const {
  PanelRectSet out;
  for (size_t i = 0; i < out.size(); ++i) {
    const Rect& f = fractions_[i];
    // Whole pixels, so that neighbours share an edge instead of a half-pixel gap.
    const float x0 = std::round(area.x + f.x * area.w), y0 = std::round(area.y + f.y * area.h);
    const float x1 = std::round(area.x + (f.x + f.w) * area.w);
    const float y1 = std::round(area.y + (f.y + f.h) * area.h);
    out[i] = {x0, y0, x1 - x0, y1 - y0};
  }
  return out;
}

std::string PanelLayout::serialize() const {
  std::ostringstream os;
  os.precision(6);
  for (int i = 0; i < kPanelCount; ++i) {
    const Rect& f = fractions_[size_t(i)];
    os << panel_window_name(PanelId(i)) << " " << f.x << " " << f.y << " " << f.w << " " << f.h
       << "\n";
  }
  return os.str();
}

bool PanelLayout::parse(const std::string& text) {
  PanelRectSet f;
  std::array<bool, kPanelCount> seen{};
  std::istringstream in(text);
  std::string name;
  Rect r;
  while (in >> name >> r.x >> r.y >> r.w >> r.h) {
    int id = -1;
    for (int i = 0; i < kPanelCount; ++i)
      if (name == panel_window_name(PanelId(i))) id = i;
    const float e = 1e-3f;
    if (id < 0 || !(r.x >= -e && r.y >= -e && r.w > 0.02f && r.h > 0.02f &&
                    r.x + r.w <= 1 + e && r.y + r.h <= 1 + e))
      return false;
    f[size_t(id)] = r;
    seen[size_t(id)] = true;
  }
  for (bool b : seen)
    if (!b) return false;
  fractions_ = f;
  set_ = true;
  return true;
}

}  // namespace rrcnn
