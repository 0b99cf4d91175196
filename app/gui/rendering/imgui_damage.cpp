// ImGui's frame drawn where it changed (see imgui_damage.h).
#include "gui/rendering/imgui_damage.h"

#include <glad/gl.h>

#include <algorithm>
#include <cstring>

#include "gui/rendering/gl_util.h"
#include "imgui.h"
#include "imgui_impl_opengl3.h"

namespace rrcnn {
namespace {

// The scissor ImGui's OpenGL 3 backend sets for a clip rectangle, as pixel columns [x0, x1) and
// rows [y0, y1) from the top, computed with the backend's own float arithmetic and truncations
// (imgui_impl_opengl3.cpp, ImGui_ImplOpenGL3_RenderDrawData) so that cutting it down below
// reproduces the same pixels. Empty (x1 <= x0) when the backend skips the command.
struct Scissor {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

float clamp_coord(float v) { return std::clamp(v, -1.0e6f, 1.0e6f); }

Scissor backend_scissor(const ImVec4& clip, const ImDrawData& dd, int fb_h) {
  const ImVec2 off = dd.DisplayPos, scale = dd.FramebufferScale;
  const float min_x = clamp_coord((clip.x - off.x) * scale.x), min_y = clamp_coord((clip.y - off.y) * scale.y);
  const float max_x = clamp_coord((clip.z - off.x) * scale.x), max_y = clamp_coord((clip.w - off.y) * scale.y);
  Scissor s;
  if (max_x <= min_x || max_y <= min_y) return s;
  const int gx = int(min_x), gy = int(float(fb_h) - max_y);  // GL: bottom-left origin
  const int gw = int(max_x - min_x), gh = int(max_y - min_y);
  s.x0 = gx;
  s.x1 = gx + std::max(gw, 0);
  s.y1 = fb_h - gy;
  s.y0 = s.y1 - std::max(gh, 0);
  return s;
}

uint64_t words(const void* p, size_t n, uint64_t h) {
  // n is a multiple of 4 (ImDrawVert: 2 + 2 floats, 1 colour).
  const unsigned char* b = static_cast<const unsigned char*>(p);
  for (size_t i = 0; i + 8 <= n; i += 8) {
    uint64_t v;
    std::memcpy(&v, b + i, 8);
    h = damage_mix(h, v);
  }
  if (n % 8) {
    uint32_t v;
    std::memcpy(&v, b + n - 4, 4);
    h = damage_mix(h, v);
  }
  return h;
}

}  // namespace

const std::vector<PixelRect>& ImGuiDamage::compute(const ImDrawData& dd, int fb_w, int fb_h,
                                                   uint64_t font_texture) {
  ++frame_;
  grid_.begin(fb_w, fb_h);
  const ImVec2 off = dd.DisplayPos, scale = dd.FramebufferScale;
  for (int l = 0; l < dd.CmdListsCount; ++l) {
    const ImDrawList* list = dd.CmdLists[l];
    const ImDrawVert* vtx = list->VtxBuffer.Data;
    const ImDrawIdx* idx = list->IdxBuffer.Data;
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) {  // the studio draws none; if one appears, redraw everything
        grid_.add(0, 0, float(fb_w), float(fb_h), damage_mix(frame_, 0xCA11BAC4));
        continue;
      }
      const Scissor s = backend_scissor(cmd.ClipRect, dd, fb_h);
      if (s.x1 <= s.x0 || s.y1 <= s.y0) continue;  // the backend draws nothing
      const uint64_t tex = uint64_t(reinterpret_cast<uintptr_t>(cmd.TextureId));
      uint64_t version = 0;
      if (tex != font_texture && !texture_version(GLuint(tex), &version))
        version = ~frame_;  // not made by gl_util: assume it changed
      uint64_t key = damage_mix(damage_mix(tex, version), uint64_t(uint32_t(s.x0)) << 32 | uint32_t(s.y0));
      key = damage_mix(key, uint64_t(uint32_t(s.x1)) << 32 | uint32_t(s.y1));
      for (unsigned e = 0; e + 2 < cmd.ElemCount; e += 3) {
        const ImDrawVert* v[3] = {vtx + cmd.VtxOffset + idx[cmd.IdxOffset + e],
                                  vtx + cmd.VtxOffset + idx[cmd.IdxOffset + e + 1],
                                  vtx + cmd.VtxOffset + idx[cmd.IdxOffset + e + 2]};
        uint64_t h = key;
        float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
        for (const ImDrawVert* p : v) {
          h = words(p, sizeof(ImDrawVert), h);
          const float px = (p->pos.x - off.x) * scale.x, py = (p->pos.y - off.y) * scale.y;
          x0 = std::min(x0, px);
          y0 = std::min(y0, py);
          x1 = std::max(x1, px);
          y1 = std::max(y1, py);
        }
        grid_.add(std::max(x0, float(s.x0)), std::max(y0, float(s.y0)), std::min(x1, float(s.x1)),
                  std::min(y1, float(s.y1)), h);
      }
    }
  }
  rects_ = grid_.finish();
  return rects_;
}

void ImGuiDamage::draw(ImDrawData* dd, const PixelRect& r, int fb_h, const float clear_rgb[3]) {
  glEnable(GL_SCISSOR_TEST);
  glScissor(r.x, fb_h - (r.y + r.h), r.w, r.h);
  glClearColor(clear_rgb[0], clear_rgb[1], clear_rgb[2], 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  glDisable(GL_SCISSOR_TEST);
  // Each command's scissor cut down to r (then restored): outside r nothing is touched. Only
  // the draw lists (windows) with something inside r go to the backend, which uploads every
  // list's vertices per call.
  std::vector<ImVec4> saved;
  std::vector<ImDrawList*> lists;
  for (int l = 0; l < dd->CmdListsCount; ++l) {
    bool inside = false;
    for (ImDrawCmd& cmd : dd->CmdLists[l]->CmdBuffer) {
      saved.push_back(cmd.ClipRect);
      if (cmd.UserCallback) {
        inside = true;
        continue;
      }
      const Scissor s = backend_scissor(cmd.ClipRect, *dd, fb_h);
      const int x0 = std::max(s.x0, r.x), x1 = std::min(s.x1, r.x + r.w);
      const int y0 = std::max(s.y0, r.y), y1 = std::min(s.y1, r.y + r.h);
      if (x1 <= x0 || y1 <= y0) {
        cmd.ClipRect = ImVec4(0, 0, 0, 0);  // skipped by the backend
        continue;
      }
      // Whole numbers (scale 1, origin 0: platform.cpp checks), so the backend's truncations
      // give back exactly [x0, x1) x [y0, y1).
      cmd.ClipRect = ImVec4(float(x0), float(y0), float(x1), float(y1));
      inside = true;
    }
    if (inside) lists.push_back(dd->CmdLists[l]);
  }
  if (!lists.empty()) {
    ImDrawData part = *dd;
    part.CmdLists = lists.data();
    part.CmdListsCount = int(lists.size());
    ImGui_ImplOpenGL3_RenderDrawData(&part);
  }
  size_t i = 0;
  for (int l = 0; l < dd->CmdListsCount; ++l)
    for (ImDrawCmd& cmd : dd->CmdLists[l]->CmdBuffer) cmd.ClipRect = saved[i++];
}

}  // namespace rrcnn
