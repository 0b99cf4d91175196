// PNG and GIF output through libpng and giflib (see image_io.h).
#include "core/image_io.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/safetensors.h"

#ifdef RRCNN_HAVE_PNG
#include <png.h>
#endif
#ifdef RRCNN_HAVE_GIF
#include <gif_lib.h>
#endif

namespace rrcnn {

std::vector<uint8_t> encode_png(int width, int height, const std::vector<uint8_t>& rgb) {
  RRCNN_CHECK(width > 0 && height > 0 && rgb.size() == size_t(width) * height * 3,
              "PNG: " << rgb.size() << " bytes do not make a " << width << "x" << height << " RGB image");
#ifdef RRCNN_HAVE_PNG
  // libpng's simplified API: one call from an 8-bit RGB buffer to memory (size first, then data).
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = png_uint_32(width);
  image.height = png_uint_32(height);
  image.format = PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  const png_int_32 stride = png_int_32(width) * 3;
  RRCNN_CHECK(png_image_write_to_memory(&image, nullptr, &size, 0, rgb.data(), stride, nullptr),
              "PNG: " << image.message);
  std::vector<uint8_t> out(size);
  RRCNN_CHECK(png_image_write_to_memory(&image, out.data(), &size, 0, rgb.data(), stride, nullptr),
              "PNG: " << image.message);
  out.resize(size);
  return out;
#else
  RRCNN_FAIL("PNG output needs libpng; this build has none (apt install libpng-dev and rebuild, or write a .gif)");
#endif
}

void write_png(const std::string& path, int width, int height, const std::vector<uint8_t>& rgb) {
  const std::vector<uint8_t> bytes = encode_png(width, height, rgb);
  write_file_atomic(path, bytes.data(), bytes.size());
}

GifWriter::GifWriter(int width, int height, int delay_cs)
    : width_(width), height_(height), delay_(delay_cs) {
  RRCNN_CHECK(width > 0 && height > 0 && width < 65536 && height < 65536,
              "GIF: bad size " << width << "x" << height);
  RRCNN_CHECK(delay_cs >= 0 && delay_cs < 65536, "GIF: bad frame delay " << delay_cs);
}

void GifWriter::add_frame(const std::vector<uint8_t>& rgb) {
  const size_t n = size_t(width_) * height_;
  RRCNN_CHECK(rgb.size() == n * 3, "GIF: frame has " << rgb.size() << " bytes, expected " << n * 3);
  bool grey = true;
  for (size_t i = 0; i < n && grey; ++i) grey = rgb[3 * i] == rgb[3 * i + 1] && rgb[3 * i] == rgb[3 * i + 2];
  std::vector<uint8_t> palette(256 * 3), idx(n);
  if (grey) {
    for (int i = 0; i < 256; ++i) palette[3 * i] = palette[3 * i + 1] = palette[3 * i + 2] = uint8_t(i);
    for (size_t i = 0; i < n; ++i) idx[i] = rgb[3 * i];
  } else {
    for (int i = 0; i < 216; ++i) {
      palette[3 * i] = uint8_t(51 * (i / 36));
      palette[3 * i + 1] = uint8_t(51 * ((i / 6) % 6));
      palette[3 * i + 2] = uint8_t(51 * (i % 6));
    }
    for (int i = 0; i < 40; ++i)
      palette[3 * (216 + i)] = palette[3 * (216 + i) + 1] = palette[3 * (216 + i) + 2] = uint8_t(i * 255 / 39);
    for (size_t i = 0; i < n; ++i) {
      const int r = rgb[3 * i], g = rgb[3 * i + 1], b = rgb[3 * i + 2];
      const int cube = 36 * ((r + 25) / 51) + 6 * ((g + 25) / 51) + (b + 25) / 51;
      const int cr = 51 * ((r + 25) / 51), cg = 51 * ((g + 25) / 51), cb = 51 * ((b + 25) / 51);
      const int gi = ((r + g + b) / 3 * 39 + 127) / 255, gv = gi * 255 / 39;
      const int dc = (r - cr) * (r - cr) + (g - cg) * (g - cg) + (b - cb) * (b - cb);
      const int dg = (r - gv) * (r - gv) + (g - gv) * (g - gv) + (b - gv) * (b - gv);
      idx[i] = uint8_t(dg < dc ? 216 + gi : cube);
    }
  }
  frames_data_.push_back(Frame{std::move(palette), std::move(idx)});
  ++frames_;
}

#ifdef RRCNN_HAVE_GIF
namespace {
int append_bytes(GifFileType* gif, const GifByteType* data, int n) {
  auto* out = static_cast<std::vector<uint8_t>*>(gif->UserData);
  out->insert(out->end(), data, data + n);
  return n;
}
}  // namespace
#endif

std::vector<uint8_t> GifWriter::finish() {
#ifdef RRCNN_HAVE_GIF
  std::vector<uint8_t> out;
  int err = 0;
  GifFileType* gif = EGifOpen(&out, append_bytes, &err);
  RRCNN_CHECK(gif, "GIF: " << GifErrorString(err));
  // One exit for every failure below: the handle closed, the error named.
  auto check = [&](bool ok, const char* what) {
    if (ok) return;
    const int e = gif->Error;
    EGifCloseFile(gif, &err);
    RRCNN_FAIL("GIF: " << what << ": " << GifErrorString(e));
  };
  EGifSetGifVersion(gif, true);  // GIF89a: frame delays and the loop extension
  check(EGifPutScreenDesc(gif, width_, height_, 8, 0, nullptr) == GIF_OK, "screen descriptor");
  // NETSCAPE2.0 application extension: loop forever.
  const GifByteType app[] = {'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0'};
  const GifByteType loop[] = {0x01, 0x00, 0x00};
  check(EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE) == GIF_OK &&
            EGifPutExtensionBlock(gif, sizeof(app), app) == GIF_OK &&
            EGifPutExtensionBlock(gif, sizeof(loop), loop) == GIF_OK &&
            EGifPutExtensionTrailer(gif) == GIF_OK,
        "loop extension");
  for (Frame& f : frames_data_) {
    GraphicsControlBlock gcb{};
    gcb.DisposalMode = DISPOSE_DO_NOT;
    gcb.DelayTime = delay_;
    gcb.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType ext[4];
    const size_t len = EGifGCBToExtension(&gcb, ext);
    check(EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, int(len), ext) == GIF_OK, "frame delay");
    GifColorType colors[256];
    for (int i = 0; i < 256; ++i)
      colors[i] = GifColorType{f.palette[3 * i], f.palette[3 * i + 1], f.palette[3 * i + 2]};
    ColorMapObject* map = GifMakeMapObject(256, colors);
    check(map != nullptr, "colour table");
    const bool put = EGifPutImageDesc(gif, 0, 0, width_, height_, false, map) == GIF_OK;
    GifFreeMapObject(map);  // EGifPutImageDesc keeps its own copy
    check(put, "image descriptor");
    for (int y = 0; y < height_; ++y)
      check(EGifPutLine(gif, f.index.data() + size_t(y) * width_, width_) == GIF_OK, "pixels");
  }
  RRCNN_CHECK(EGifCloseFile(gif, &err) == GIF_OK, "GIF: " << GifErrorString(err));
  return out;
#else
  RRCNN_FAIL("GIF output needs giflib; this build has none (apt install libgif-dev and rebuild, or write a .png)");
#endif
}

void GifWriter::save(const std::string& path) {
  RRCNN_CHECK(frames_ > 0, path << ": a GIF needs at least one frame");
  const std::vector<uint8_t> bytes = finish();
  write_file_atomic(path, bytes.data(), bytes.size());
}

}  // namespace rrcnn
