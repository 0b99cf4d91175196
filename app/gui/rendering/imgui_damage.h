// ImGui's frame drawn only where it changed (damage.h), for software OpenGL: the primitives of
// the draw data are hashed into the tile grid (vertices, texture and the version of its
// pixels, the scissor the backend will set), and each changed rectangle is cleared and drawn
// with every command's scissor cut down to it. Pixels outside the rectangles are left as the
// last frame drew them, so the framebuffer must keep its contents between frames (platform.cpp
// shows it with glXCopySubBufferMESA and never swaps in this mode).
#pragma once

#include <cstdint>
#include <vector>

#include "gui/rendering/damage.h"

struct ImDrawData;

namespace rrcnn {

class ImGuiDamage {
 public:
  // Changed rectangles of this frame (empty: nothing to draw). `font_texture` is ImGui's font
  // atlas (unchanged unless invalidate() is called); any texture unknown to gl_util counts as
  // changed every frame.
  const std::vector<PixelRect>& compute(const ImDrawData& dd, int fb_w, int fb_h,
                                        uint64_t font_texture);
  // Clears `r` to `clear_rgb` and draws the frame inside it only (the current framebuffer).
  // The draw data must start at (0, 0) with a framebuffer scale of 1.
  void draw(ImDrawData* dd, const PixelRect& r, int fb_h, const float clear_rgb[3]);
  void invalidate() { grid_.invalidate(); }
  double damaged_fraction() const { return grid_.damaged_fraction(); }
  const std::vector<PixelRect>& rects() const { return rects_; }
  const DamageGrid& grid() const { return grid_; }

 private:
  DamageGrid grid_;
  std::vector<PixelRect> rects_;
  uint64_t frame_ = 0;
};

}  // namespace rrcnn
