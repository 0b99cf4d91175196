// Changed tiles of the window between frames (see damage.h).
#include "gui/rendering/damage.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace rrcnn {

void DamageGrid::begin(int width, int height) {
  width = std::max(width, 0);
  height = std::max(height, 0);
  if (width != width_ || height != height_) {
    width_ = width;
    height_ = height;
    cols_ = (width + tile_ - 1) / tile_;
    rows_ = (height + tile_ - 1) / tile_;
    valid_ = false;
  }
  now_.assign(size_t(cols_) * rows_, 0x51ED270B27F1A3C5ull);
}

void DamageGrid::add(float x0, float y0, float x1, float y1, uint64_t key) {
  // Pixels whose centres lie in the box, with a pixel of margin either side (conservative: a
  // tile counted as touched when it is not only costs a redraw, never a wrong picture).
  if (!(x1 >= x0) || !(y1 >= y0)) return;  // empty, or NaN
  const float fx0 = std::max(std::floor(x0) - 1.0f, 0.0f), fy0 = std::max(std::floor(y0) - 1.0f, 0.0f);
  const float fx1 = std::min(std::ceil(x1) + 1.0f, float(width_)),
              fy1 = std::min(std::ceil(y1) + 1.0f, float(height_));
  if (fx1 <= fx0 || fy1 <= fy0) return;
  const int c0 = int(fx0) / tile_, c1 = (int(fx1) - 1) / tile_;
  const int r0 = int(fy0) / tile_, r1 = (int(fy1) - 1) / tile_;
  for (int r = r0; r <= r1; ++r) {
    uint64_t* row = now_.data() + size_t(r) * cols_;
    for (int c = c0; c <= c1; ++c) row[c] = damage_mix(row[c], key);
  }
}

std::vector<PixelRect> DamageGrid::finish(int max_rects) {
  std::vector<PixelRect> out;
  const bool all = !valid_ || last_.size() != now_.size();
  struct Open {
    int c0, c1, r0, r1;  // columns [c0, c1), rows [r0, r1)
  };
  std::vector<Open> open, closed;
  for (int r = 0; r < rows_; ++r) {
    std::vector<Open> next;
    for (int c = 0; c < cols_;) {
      const size_t i = size_t(r) * cols_ + c;
      if (!all && now_[i] == last_[i]) {
        ++c;
        continue;
      }
      int e = c + 1;
      while (e < cols_ && (all || now_[size_t(r) * cols_ + e] != last_[size_t(r) * cols_ + e])) ++e;
      // Continue a rectangle of the row above with the same columns, or start one.
      auto it = std::find_if(open.begin(), open.end(),
                             [&](const Open& o) { return o.c0 == c && o.c1 == e; });
      if (it != open.end()) {
        next.push_back({c, e, it->r0, r + 1});
        open.erase(it);
      } else {
        next.push_back({c, e, r, r + 1});
      }
      c = e;
    }
    closed.insert(closed.end(), open.begin(), open.end());
    open.swap(next);
  }
  closed.insert(closed.end(), open.begin(), open.end());
  const auto to_pixels = [&](const Open& o) {
    PixelRect p;
    p.x = o.c0 * tile_;
    p.y = o.r0 * tile_;
    p.w = std::min(o.c1 * tile_, width_) - p.x;
    p.h = std::min(o.r1 * tile_, height_) - p.y;
    return p;
  };
  // Fewer, larger rectangles: each one costs a pass over the draw data, so two merge when
  // their bounding box adds at most `slack` tiles of area that did not change; past
  // `max_rects`, the pair that adds the least merges until few enough are left.
  const auto area_of = [](const Open& o) { return int64_t(o.c1 - o.c0) * (o.r1 - o.r0); };
  const auto unite = [](const Open& a, const Open& b) {
    return Open{std::min(a.c0, b.c0), std::max(a.c1, b.c1), std::min(a.r0, b.r0), std::max(a.r1, b.r1)};
  };
  const int64_t slack = 16;  // tiles
  runs_ = int(closed.size());
  for (bool merged = true; merged;) {
    merged = false;
    int64_t best = INT64_MAX;
    size_t bi = 0, bj = 0;
    for (size_t i = 0; i < closed.size(); ++i)
      for (size_t j = i + 1; j < closed.size(); ++j) {
        // Rectangles from the rows never overlap, nor do merged ones (a union replaces both
        // and any it would overlap gets merged in later), so the added area is exact enough.
        const int64_t added = area_of(unite(closed[i], closed[j])) - area_of(closed[i]) - area_of(closed[j]);
        if (added < best) {
          best = added;
          bi = i;
          bj = j;
        }
      }
    if (closed.size() > 1 && (best <= slack || int(closed.size()) > std::max(max_rects, 1))) {
      closed[bi] = unite(closed[bi], closed[bj]);
      closed.erase(closed.begin() + std::ptrdiff_t(bj));
      merged = true;
    }
  }
  int64_t area = 0;
  for (const Open& o : closed) {
    out.push_back(to_pixels(o));
    area += out.back().area();
  }
  const int64_t total = int64_t(width_) * height_;
  fraction_ = total > 0 ? double(area) / double(total) : 0.0;
  last_.swap(now_);
  valid_ = true;
  return out;
}

}  // namespace rrcnn
