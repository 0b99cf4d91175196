// Captions on exported pictures: the text (model, recipe, step, noise, dropout) and drawing it
// into an RGB image with a bitmap font (the GUI builds one from its ImGui font atlas), as a dark
// band under a screenshot or a GIF frame, plus row labels (noisy / live / target) left of a
// GIF's tiles. ASCII text. No window code; unit-tested with a made-up font.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/frames.h"

namespace rrcnn {

struct BitmapGlyph {
  int w = 0, h = 0;          // bitmap size
  int x_off = 0, y_off = 0;  // from the pen position at the top of the line
  int advance = 0;
  std::vector<uint8_t> alpha;  // w * h coverage
};

struct BitmapFont {
  int line_height = 0;
  std::map<char, BitmapGlyph> glyphs;  // printable ASCII
  bool empty() const { return glyphs.empty(); }
};

int text_width(const BitmapFont& font, const std::string& text);
// Grey text (0..255) blended over the image at (x, y) = top-left of the line; clipped.
void draw_text(RgbImage& img, int x, int y, const std::string& text, const BitmapFont& font,
               uint8_t grey);
// `img` with a dark band of one text line (plus padding) below it holding `text`, shortened
// with "..." when it does not fit. An empty font gives the image unchanged.
RgbImage with_caption(const RgbImage& img, const std::string& text, const BitmapFont& font);
// `grid` (rows of tiles `tile_h` high, `gap` apart, as compose_rows lays them out) with a margin
// at the left holding one label per row.
RgbImage with_row_labels(const RgbImage& grid, const std::vector<std::string>& labels, int tile_h,
                         int gap, const BitmapFont& font);

struct CaptionInfo {
  std::string model;   // "rrcnn-seed"
  std::string recipe;  // as shown: "reference", "pool"; empty for fresh weights
  int64_t trained_steps = 0;
  int64_t step = 0;     // live step
  int64_t rollout = 0;  // 0: endless
  bool random_noise = true;
  float alpha = 0.5f;
  float dropout = 0.5f;
};
// "step 37/128 | rrcnn-seed (reference recipe, 596 training steps) | noise alpha random per digit |
// dropout 0.50"
std::string picture_caption(const CaptionInfo& c);

}  // namespace rrcnn
