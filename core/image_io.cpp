// PNG and GIF encoders (see image_io.h).
#include "core/image_io.h"

#include <algorithm>
#include <cstring>
#include <initializer_list>

#include "core/error.h"
#include "core/safetensors.h"

#ifdef RRCNN_HAVE_ZLIB
#include <zlib.h>
#endif

namespace rrcnn {
namespace {

void put32be(std::vector<uint8_t>& o, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) o.push_back(uint8_t(v >> s));
}
void put16le(std::vector<uint8_t>& o, int v) {
  o.push_back(uint8_t(v & 0xff));
  o.push_back(uint8_t((v >> 8) & 0xff));
}

#ifdef RRCNN_HAVE_ZLIB
void png_chunk(std::vector<uint8_t>& o, const char* type, const std::vector<uint8_t>& data) {
  put32be(o, uint32_t(data.size()));
  const size_t start = o.size();
  o.insert(o.end(), type, type + 4);
  o.insert(o.end(), data.begin(), data.end());
  put32be(o, uint32_t(crc32(0, o.data() + start, uInt(o.size() - start))));
}
#endif

// Variable-width LZW as GIF wants it: codes packed LSB-first into sub-blocks of <= 255 bytes.
class LzwEncoder {
 public:
  explicit LzwEncoder(int min_code_size) : min_(min_code_size) {}

  std::vector<uint8_t> encode(const std::vector<uint8_t>& pixels) {
    const int clear = 1 << min_, eoi = clear + 1;
    reset_table();
    emit(clear);
    int prefix = -1;
    for (uint8_t px : pixels) {
      if (prefix < 0) {
        prefix = px;
        continue;
      }
      const uint32_t key = (uint32_t(prefix) << 8) | px;
      const int found = lookup(key);
      if (found >= 0) {
        prefix = found;
        continue;
      }
      emit(prefix);
      if (next_ < 4096) {
        insert(key, next_++);
        if (next_ > (1 << width_) && width_ < 12) ++width_;
      } else {
        emit(clear);  // table full: start over
        reset_table();
      }
      prefix = px;
    }
    if (prefix >= 0) emit(prefix);
    emit(eoi);
    if (nbits_ > 0) bytes_.push_back(uint8_t(acc_));
    // Split into sub-blocks.
    std::vector<uint8_t> out;
    for (size_t i = 0; i < bytes_.size(); i += 255) {
      const size_t n = std::min<size_t>(255, bytes_.size() - i);
      out.push_back(uint8_t(n));
      out.insert(out.end(), bytes_.begin() + i, bytes_.begin() + i + n);
    }
    out.push_back(0);
    return out;
  }

 private:
  void reset_table() {
    keys_.assign(kSlots, 0xffffffffu);
    codes_.assign(kSlots, -1);
    next_ = (1 << min_) + 2;
    width_ = min_ + 1;
  }
  int lookup(uint32_t key) const {
    for (uint32_t h = hash(key);; h = (h + 1) & (kSlots - 1)) {
      if (keys_[h] == key) return codes_[h];
      if (keys_[h] == 0xffffffffu) return -1;
    }
  }
  void insert(uint32_t key, int code) {
    uint32_t h = hash(key);
    while (keys_[h] != 0xffffffffu) h = (h + 1) & (kSlots - 1);
    keys_[h] = key;
    codes_[h] = code;
  }
  static uint32_t hash(uint32_t k) { return (k * 2654435761u) >> (32 - 13); }
  void emit(int code) {
    acc_ |= uint32_t(code) << nbits_;
    nbits_ += width_;
    while (nbits_ >= 8) {
      bytes_.push_back(uint8_t(acc_ & 0xff));
      acc_ >>= 8;
      nbits_ -= 8;
    }
  }

  static constexpr uint32_t kSlots = 8192;  // > 4096 codes, power of two for the probe mask
  int min_, next_ = 0, width_ = 0;
  std::vector<uint32_t> keys_;
  std::vector<int> codes_;
  std::vector<uint8_t> bytes_;
  uint32_t acc_ = 0;
  int nbits_ = 0;
};

}  // namespace

std::vector<uint8_t> encode_png(int width, int height, const std::vector<uint8_t>& rgb) {
  RRCNN_CHECK(width > 0 && height > 0 && rgb.size() == size_t(width) * height * 3,
              "PNG: " << rgb.size() << " bytes do not make a " << width << "x" << height << " RGB image");
#ifdef RRCNN_HAVE_ZLIB
  std::vector<uint8_t> raw;
  raw.reserve(size_t(height) * (width * 3 + 1));
  for (int y = 0; y < height; ++y) {
    raw.push_back(0);  // filter: none
    raw.insert(raw.end(), rgb.begin() + size_t(y) * width * 3, rgb.begin() + size_t(y + 1) * width * 3);
  }
  uLongf zlen = compressBound(uLong(raw.size()));
  std::vector<uint8_t> z(zlen);
  RRCNN_CHECK(compress2(z.data(), &zlen, raw.data(), uLong(raw.size()), 6) == Z_OK, "PNG: compression failed");
  z.resize(zlen);
  std::vector<uint8_t> o = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::vector<uint8_t> ihdr;
  put32be(ihdr, uint32_t(width));
  put32be(ihdr, uint32_t(height));
  ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});  // 8-bit RGB, deflate, no filter, no interlace
  png_chunk(o, "IHDR", ihdr);
  png_chunk(o, "IDAT", z);
  png_chunk(o, "IEND", {});
  return o;
#else
  RRCNN_FAIL("PNG output needs zlib; this build has none (rebuild with zlib1g-dev, or write a .gif)");
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
  for (const char c : {'G', 'I', 'F', '8', '9', 'a'}) out_.push_back(uint8_t(c));
  put16le(out_, width);
  put16le(out_, height);
  out_.insert(out_.end(), {0x00, 0x00, 0x00});  // no global colour table
  // NETSCAPE2.0 application extension: loop forever.
  for (const int b : std::initializer_list<int>{0x21, 0xFF, 0x0B, 'N', 'E', 'T', 'S', 'C', 'A',
                                                'P', 'E', '2', '.', '0', 0x03, 0x01, 0x00, 0x00, 0x00})
    out_.push_back(uint8_t(b));
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
  // Graphic control extension (delay), image descriptor with a local 256-colour table.
  out_.insert(out_.end(), {0x21, 0xF9, 0x04, 0x04});
  put16le(out_, delay_);
  out_.insert(out_.end(), {0x00, 0x00, 0x2C});
  put16le(out_, 0);
  put16le(out_, 0);
  put16le(out_, width_);
  put16le(out_, height_);
  out_.push_back(0x87);  // local colour table, 2^(7+1) entries
  out_.insert(out_.end(), palette.begin(), palette.end());
  out_.push_back(8);  // LZW minimum code size
  const std::vector<uint8_t> data = LzwEncoder(8).encode(idx);
  out_.insert(out_.end(), data.begin(), data.end());
  ++frames_;
}

std::vector<uint8_t> GifWriter::finish() {
  std::vector<uint8_t> o = out_;
  o.push_back(0x3B);
  return o;
}

void GifWriter::save(const std::string& path) {
  RRCNN_CHECK(frames_ > 0, path << ": a GIF needs at least one frame");
  const std::vector<uint8_t> bytes = finish();
  write_file_atomic(path, bytes.data(), bytes.size());
}

}  // namespace rrcnn
