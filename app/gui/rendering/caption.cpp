// Caption text and bitmap-font drawing (see caption.h).
#include "gui/rendering/caption.h"

#include <algorithm>
#include <cstdio>

namespace rrcnn {
namespace {

const BitmapGlyph* find(const BitmapFont& f, char c) {
  auto it = f.glyphs.find(c);
  if (it == f.glyphs.end()) it = f.glyphs.find('?');
  return it == f.glyphs.end() ? nullptr : &it->second;
}

constexpr uint8_t kBand = 24, kLabel = 170, kCaption = 215;

}  // namespace

int text_width(const BitmapFont& f, const std::string& text) {
  int w = 0;
  for (char c : text)
    if (const BitmapGlyph* g = find(f, c)) w += g->advance;
  return w;
}

void draw_text(RgbImage& img, int x, int y, const std::string& text, const BitmapFont& f,
               uint8_t grey) {
  int pen = x;
  for (char c : text) {
    const BitmapGlyph* g = find(f, c);
    if (!g) continue;
    for (int gy = 0; gy < g->h; ++gy)
      for (int gx = 0; gx < g->w; ++gx) {
        const int px = pen + g->x_off + gx, py = y + g->y_off + gy;
        if (px < 0 || py < 0 || px >= img.width || py >= img.height) continue;
        const int a = g->alpha[size_t(gy) * g->w + gx];
        uint8_t* o = &img.rgb[(size_t(py) * img.width + px) * 3];
        for (int k = 0; k < 3; ++k) o[k] = uint8_t((o[k] * (255 - a) + grey * a + 127) / 255);
      }
    pen += g->advance;
  }
}

RgbImage with_caption(const RgbImage& img, const std::string& text, const BitmapFont& f) {
  if (f.empty() || img.width <= 0) return img;
  const int pad = std::max(2, f.line_height / 4);
  RgbImage out;
  out.width = img.width;
  out.height = img.height + f.line_height + 2 * pad;
  out.rgb = img.rgb;
  out.rgb.resize(size_t(out.width) * out.height * 3, kBand);
  std::string t = text;
  while (!t.empty() && text_width(f, t + (t.size() < text.size() ? "..." : "")) > img.width - 2 * pad)
    t.pop_back();
  if (t.size() < text.size()) t += "...";
  draw_text(out, pad, img.height + pad, t, f, kCaption);
  return out;
}

RgbImage with_row_labels(const RgbImage& grid, const std::vector<std::string>& labels, int tile_h,
                         int gap, const BitmapFont& f) {
  if (f.empty() || grid.width <= 0) return grid;
  int margin = 0;
  for (const std::string& l : labels) margin = std::max(margin, text_width(f, l));
  margin += 2 * std::max(gap, 4);
  RgbImage out;
  out.width = grid.width + margin;
  out.height = grid.height;
  out.rgb.assign(size_t(out.width) * out.height * 3, 40);  // compose_rows' frame grey
  for (int y = 0; y < grid.height; ++y)
    std::copy(grid.rgb.begin() + long(size_t(y) * grid.width * 3),
              grid.rgb.begin() + long(size_t(y + 1) * grid.width * 3),
              out.rgb.begin() + long((size_t(y) * out.width + margin) * 3));
  for (size_t r = 0; r < labels.size(); ++r) {
    const int y0 = gap + int(r) * (tile_h + gap);
    draw_text(out, std::max(gap, 4), y0 + (tile_h - f.line_height) / 2, labels[r], f, kLabel);
  }
  return out;
}

std::string picture_caption(const CaptionInfo& c) {
  char buf[320];
  char step[64];
  if (c.rollout > 0)
    std::snprintf(step, sizeof step, "step %lld/%lld", (long long)c.step, (long long)c.rollout);
  else
    std::snprintf(step, sizeof step, "step %lld", (long long)c.step);
  char noise[48];
  if (c.random_noise)
    std::snprintf(noise, sizeof noise, "noise alpha random per digit");
  else
    std::snprintf(noise, sizeof noise, "noise alpha %.2f", double(c.alpha));
  // The step first: a narrow picture (a GIF of few digits) shortens the end of the line.
  // The recipe is a word of its own ("reference", "pool"), never a size; fresh weights have none.
  const std::string recipe = c.recipe.empty() ? "" : c.recipe + " recipe, ";
  std::snprintf(buf, sizeof buf, "%s | %s (%s%lld training steps) | %s | dropout %.2f", step,
                c.model.c_str(), recipe.c_str(), (long long)c.trained_steps, noise,
                double(c.dropout));
  return buf;
}

}  // namespace rrcnn
