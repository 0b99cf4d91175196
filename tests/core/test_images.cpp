// PNG and GIF output (core/image_io.h) decoded back with libpng and giflib: the pixels, the
// frame count, the delay and the loop extension are what was written. Grey frames keep every
// level; colour frames land on the nearest entry of the fixed 6x6x6 cube + 40 greys.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/image_io.h"

#ifdef RRCNN_HAVE_PNG
#include <png.h>
#endif
#ifdef RRCNN_HAVE_GIF
#include <gif_lib.h>
#endif

using namespace rrcnn;

namespace {

std::vector<uint8_t> test_picture(int w, int h, bool grey) {
  std::vector<uint8_t> rgb(size_t(w) * h * 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      uint8_t* p = &rgb[(size_t(y) * w + x) * 3];
      const int v = (x * 37 + y * 11) % 256;
      p[0] = uint8_t(v);
      p[1] = grey ? uint8_t(v) : uint8_t((x * 255) / (w - 1));
      p[2] = grey ? uint8_t(v) : uint8_t((y * 255) / (h - 1));
    }
  return rgb;
}

#ifdef RRCNN_HAVE_GIF
struct Reader {
  const std::vector<uint8_t>* bytes;
  size_t at = 0;
};
int read_bytes(GifFileType* gif, GifByteType* out, int n) {
  auto* r = static_cast<Reader*>(gif->UserData);
  const size_t k = std::min(size_t(n), r->bytes->size() - r->at);
  std::memcpy(out, r->bytes->data() + r->at, k);
  r->at += k;
  return int(k);
}
#endif

}  // namespace

#ifdef RRCNN_HAVE_PNG
TEST_CASE("PNG: decoded back, every pixel as written") {
  const int w = 37, h = 23;  // odd sizes: no row padding assumption
  for (const bool grey : {true, false}) {
    const std::vector<uint8_t> rgb = test_picture(w, h, grey);
    const std::vector<uint8_t> png = encode_png(w, h, rgb);
    REQUIRE(png.size() > 8);
    CHECK(std::memcmp(png.data(), "\x89PNG\r\n\x1a\n", 8) == 0);
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    REQUIRE(png_image_begin_read_from_memory(&image, png.data(), png.size()));
    CHECK(image.width == unsigned(w));
    CHECK(image.height == unsigned(h));
    image.format = PNG_FORMAT_RGB;
    std::vector<uint8_t> back(PNG_IMAGE_SIZE(image));
    REQUIRE(png_image_finish_read(&image, nullptr, back.data(), 0, nullptr));
    CHECK(back == rgb);
  }
}
#endif

TEST_CASE("PNG and GIF: bad sizes are refused with the numbers") {
  CHECK_THROWS_WITH_AS(encode_png(4, 4, std::vector<uint8_t>(10)),
                       doctest::Contains("do not make a 4x4 RGB image"), Error);
  CHECK_THROWS_AS(GifWriter(0, 5, 5), Error);
  GifWriter gif(4, 4, 5);
  CHECK_THROWS_WITH_AS(gif.add_frame(std::vector<uint8_t>(3)), doctest::Contains("expected 48"), Error);
}

#ifdef RRCNN_HAVE_GIF
TEST_CASE("GIF: decoded back: frames, delay, loop, grey levels exact, colours on the palette") {
  const int w = 29, h = 17;
  const std::vector<uint8_t> grey = test_picture(w, h, true), colour = test_picture(w, h, false);
  GifWriter writer(w, h, 7);
  writer.add_frame(grey);
  writer.add_frame(colour);
  writer.add_frame(grey);
  CHECK(writer.frames() == 3);
  const std::vector<uint8_t> bytes = writer.finish();
  REQUIRE(bytes.size() > 6);
  CHECK(std::string(bytes.begin(), bytes.begin() + 6) == "GIF89a");

  Reader reader{&bytes};
  int err = 0;
  GifFileType* gif = DGifOpen(&reader, read_bytes, &err);
  REQUIRE(gif != nullptr);
  REQUIRE(DGifSlurp(gif) == GIF_OK);
  CHECK(gif->SWidth == w);
  CHECK(gif->SHeight == h);
  REQUIRE(gif->ImageCount == 3);
  bool loops = false;
  // giflib attaches the extensions before a frame to that frame.
  const SavedImage& first = gif->SavedImages[0];
  for (int i = 0; i + 1 < first.ExtensionBlockCount; ++i) {
    const ExtensionBlock& e = first.ExtensionBlocks[i];
    if (e.Function == APPLICATION_EXT_FUNC_CODE && e.ByteCount == 11 &&
        std::memcmp(e.Bytes, "NETSCAPE2.0", 11) == 0) {
      const ExtensionBlock& sub = first.ExtensionBlocks[i + 1];
      loops = sub.ByteCount == 3 && sub.Bytes[0] == 1 && sub.Bytes[1] == 0 && sub.Bytes[2] == 0;
    }
  }
  CHECK(loops);
  for (int f = 0; f < 3; ++f) {
    const SavedImage& im = gif->SavedImages[f];
    GraphicsControlBlock gcb;
    REQUIRE(DGifSavedExtensionToGCB(gif, f, &gcb) == GIF_OK);
    CHECK(gcb.DelayTime == 7);
    REQUIRE(im.ImageDesc.Width == w);
    REQUIRE(im.ImageDesc.Height == h);
    const ColorMapObject* map = im.ImageDesc.ColorMap ? im.ImageDesc.ColorMap : gif->SColorMap;
    REQUIRE(map != nullptr);
    const std::vector<uint8_t>& want = f == 1 ? colour : grey;
    int worst = 0, off_palette = 0;  // worst: squared RGB distance
    for (int i = 0; i < w * h; ++i) {
      const GifColorType c = map->Colors[im.RasterBits[i]];
      const int got[3] = {c.Red, c.Green, c.Blue};
      int d2 = 0;
      for (int k = 0; k < 3; ++k) {
        const int d = got[k] - int(want[size_t(i) * 3 + k]);
        d2 += d * d;
      }
      worst = std::max(worst, d2);
      const bool cube = c.Red % 51 == 0 && c.Green % 51 == 0 && c.Blue % 51 == 0;
      const bool grey_entry = c.Red == c.Green && c.Green == c.Blue;
      if (!cube && !grey_entry) ++off_palette;
    }
    if (f == 1) {
      CHECK(worst <= 3 * 25 * 25);  // never farther than the cube's rounding (half a step each)
      CHECK(off_palette == 0);
    } else {
      CHECK(worst == 0);  // all 256 grey levels kept
    }
  }
  DGifCloseFile(gif, &err);
}
#endif
