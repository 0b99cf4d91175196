// IDX parsing and gzip decoding (zlib, when the build has it).
#include "core/idx.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "core/error.h"

#ifdef RRCNN_HAVE_ZLIB
#include <utility>
#include <zlib.h>
#endif

namespace rrcnn {
namespace {

std::vector<uint8_t> gunzip(const std::vector<uint8_t>& in, const std::string& path) {
#ifdef RRCNN_HAVE_ZLIB
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  RRCNN_CHECK(inflateInit2(&zs, 16 + MAX_WBITS) == Z_OK, path << ": cannot start gzip decoder");
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = uInt(in.size());
  std::vector<uint8_t> out;
  std::vector<uint8_t> buf(1 << 20);
  int ret = Z_OK;
  while (ret != Z_STREAM_END) {
    zs.next_out = buf.data();
    zs.avail_out = uInt(buf.size());
    ret = inflate(&zs, Z_NO_FLUSH);
    if (ret != Z_OK && ret != Z_STREAM_END) {
      const std::string msg = zs.msg ? zs.msg : "data error";
      inflateEnd(&zs);
      RRCNN_FAIL(path << ": corrupt gzip data (" << msg << ")");
    }
    out.insert(out.end(), buf.data(), buf.data() + (buf.size() - zs.avail_out));
    if (ret != Z_STREAM_END && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      RRCNN_FAIL(path << ": truncated gzip file (the download or copy was cut short)");
    }
    RRCNN_CHECK(out.size() < (size_t(4) << 30), path << ": decompresses to more than 4 GiB");
  }
  inflateEnd(&zs);
  return out;
#else
  (void)in;
  RRCNN_FAIL(path << ": gzip-compressed, but this build has no zlib (gunzip it, or rebuild with zlib1g-dev)");
#endif
}

uint32_t be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

}  // namespace

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  RRCNN_CHECK(f, path << ": cannot open (" << std::strerror(errno) << ")");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  RRCNN_CHECK(!f.bad(), path << ": read error");
  return gunzip_if_compressed(std::move(bytes), path);
}

std::vector<uint8_t> gunzip_if_compressed(std::vector<uint8_t> bytes, const std::string& path) {
  if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) return gunzip(bytes, path);
  return bytes;
}

IdxArray parse_idx(const std::vector<uint8_t>& bytes, const std::string& path) {
  RRCNN_CHECK(bytes.size() >= 4, path << ": too short to be an IDX file (" << bytes.size() << " bytes)");
  RRCNN_CHECK(bytes[0] == 0 && bytes[1] == 0,
              path << ": not an IDX file (bad magic number " << be32(bytes.data()) << ")");
  RRCNN_CHECK(bytes[2] == 0x08, path << ": IDX element type 0x" << std::hex << int(bytes[2])
                                      << " is not unsigned byte (0x08)");
  const int ndims = bytes[3];
  RRCNN_CHECK(ndims >= 1 && ndims <= 4, path << ": IDX with " << ndims << " dimensions is not supported");
  RRCNN_CHECK(bytes.size() >= size_t(4 + 4 * ndims), path << ": truncated IDX header");
  IdxArray a;
  size_t count = 1;
  for (int d = 0; d < ndims; ++d) {
    const uint32_t n = be32(bytes.data() + 4 + 4 * d);
    RRCNN_CHECK(n >= 1 && n <= (1u << 30), path << ": dimension " << d << " has size " << n);
    a.dims.push_back(int(n));
    count *= n;
    RRCNN_CHECK(count <= (size_t(1) << 32), path << ": IDX array too large");
  }
  const size_t header = 4 + 4 * size_t(ndims);
  RRCNN_CHECK(bytes.size() - header == count,
              path << ": " << (bytes.size() - header < count ? "truncated" : "has trailing data")
                   << ": header promises " << count << " bytes of data, file has "
                   << bytes.size() - header);
  a.data.assign(bytes.begin() + header, bytes.end());
  return a;
}

IdxArray read_idx(const std::string& path) { return parse_idx(read_file_bytes(path), path); }

void write_idx(const std::string& path, const IdxArray& array) {
  std::ofstream f(path, std::ios::binary);
  RRCNN_CHECK(f, path << ": cannot create (" << std::strerror(errno) << ")");
  const uint8_t magic[4] = {0, 0, 0x08, uint8_t(array.dims.size())};
  f.write(reinterpret_cast<const char*>(magic), 4);
  for (int d : array.dims) {
    const uint8_t b[4] = {uint8_t(d >> 24), uint8_t(d >> 16), uint8_t(d >> 8), uint8_t(d)};
    f.write(reinterpret_cast<const char*>(b), 4);
  }
  f.write(reinterpret_cast<const char*>(array.data.data()), std::streamsize(array.data.size()));
  RRCNN_CHECK(f.good(), path << ": write failed");
}

}  // namespace rrcnn
