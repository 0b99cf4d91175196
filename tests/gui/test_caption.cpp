// Captions on exported pictures: the text, the band under the picture, row labels, clipping and
// shortening, with a made-up font (every glyph a filled 3x5 block).
#include <doctest/doctest.h>

#include "gui/rendering/caption.h"

using namespace rrcnn;

namespace {

BitmapFont block_font() {
  BitmapFont f;
  f.line_height = 8;
  for (char c = 32; c < 127; ++c) {
    BitmapGlyph g;
    g.w = 3;
    g.h = 5;
    g.x_off = 0;
    g.y_off = 1;
    g.advance = 4;
    g.alpha.assign(15, c == ' ' ? 0 : 255);
    f.glyphs[c] = g;
  }
  return f;
}

RgbImage blank(int w, int h, uint8_t v) {
  RgbImage i;
  i.width = w;
  i.height = h;
  i.rgb.assign(size_t(w) * h * 3, v);
  return i;
}

uint8_t at(const RgbImage& i, int x, int y) {
  return i.rgb[(size_t(y) * i.width + x) * 3];
}

}  // namespace

TEST_CASE("caption text names the model, recipe, step, noise and dropout") {
  CaptionInfo c;
  c.model = "rrcnn-seed";
  c.recipe = "seed";
  c.trained_steps = 596;
  c.step = 37;
  c.rollout = 128;
  CHECK(picture_caption(c) ==
        "step 37/128 | rrcnn-seed (seed recipe, 596 training steps) | noise alpha random per "
        "digit | dropout 0.50");
  c.rollout = 0;  // endless
  c.random_noise = false;
  c.alpha = 0.3f;
  CHECK(picture_caption(c).find("step 37 | ") == 0);
  CHECK(picture_caption(c).find("| noise alpha 0.30 |") != std::string::npos);
}

TEST_CASE("caption band: below the picture, text drawn, long text shortened") {
  const BitmapFont f = block_font();
  const RgbImage img = blank(40, 10, 200);
  const RgbImage out = with_caption(img, "ab", f);
  CHECK(out.width == 40);
  CHECK(out.height == 10 + 8 + 2 * 2);
  CHECK(at(out, 5, 5) == 200);         // the picture is untouched
  CHECK(at(out, 39, out.height - 1) == 24);  // band background
  CHECK(at(out, 2 + 1, 10 + 2 + 1 + 2) > 200);  // inside the first glyph
  CHECK(text_width(f, "abc") == 12);
  // 40 px hold 9 glyphs of 4 px after padding: a long text ends in "..." and stays inside.
  const RgbImage long_out = with_caption(img, "abcdefghijklmnopqrstuvwxyz", f);
  CHECK(long_out.height == out.height);
  CHECK(with_caption(img, "ab", BitmapFont{}).height == 10);  // no font: unchanged
}

TEST_CASE("row labels: a margin at the left, tiles shifted right") {
  const BitmapFont f = block_font();
  RgbImage grid = blank(20, 2 + 3 * (6 + 2), 40);
  grid.rgb[(size_t(2) * grid.width + 2) * 3] = 255;  // a marker pixel in the first tile
  const RgbImage out = with_row_labels(grid, {"noisy", "live", "target"}, 6, 2, f);
  const int margin = out.width - grid.width;
  CHECK(margin == 6 * 4 + 2 * 4);
  CHECK(out.height == grid.height);
  CHECK(at(out, margin + 2, 2) == 255);
  CHECK(at(out, 4 + 1, 2 + (6 - 8) / 2 + 1 + 2) > 150);  // the first label's first glyph
}
