// safetensors encoding/decoding (see safetensors.h) and the atomic file write.
#include "core/safetensors.h"

#include <cstdint>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/json_io.h"

namespace rrcnn {

const StTensor* StFile::find(const std::string& name) const {
  for (const auto& t : tensors)
    if (t.first == name) return &t.second;
  return nullptr;
}

std::vector<uint8_t> encode_safetensors(const StFile& file) {
  // Compact, metadata first, then the tensors in the order given (ordered_json keeps it).
  Json h = Json::object();
  if (!file.metadata.empty()) {
    Json meta = Json::object();
    for (const auto& [key, value] : file.metadata) meta[key] = value;
    h["__metadata__"] = std::move(meta);
  }
  size_t offset = 0;
  for (const auto& [name, t] : file.tensors) {
    size_t count = 1;
    for (int d : t.shape) count *= size_t(d);
    RRCNN_CHECK(count == t.data.size(), "safetensors: tensor '" << name << "' has " << t.data.size()
                                                                << " values for its shape");
    RRCNN_CHECK(!h.contains(name), "safetensors: tensor name '" << name << "' is used twice (or is "
                                                                 << "the metadata's)");
    h[name] = Json{{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + 4 * count}}};
    offset += 4 * count;
  }
  std::string header = json_dump(h);
  while (header.size() % 8) header += ' ';
  std::vector<uint8_t> out(8 + header.size() + offset);
  const uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out[i] = uint8_t(n >> (8 * i));
  std::memcpy(out.data() + 8, header.data(), header.size());
  uint8_t* p = out.data() + 8 + header.size();
  for (const auto& kv : file.tensors) {
    // Little-endian hosts only (x86-64, aarch64): the bytes are the floats.
    std::memcpy(p, kv.second.data.data(), kv.second.data.size() * 4);
    p += kv.second.data.size() * 4;
  }
  return out;
}

StFile decode_safetensors(const std::vector<uint8_t>& bytes, const std::string& path) {
  RRCNN_CHECK(bytes.size() >= 8, path << ": too short to be a safetensors file (" << bytes.size()
                                      << " bytes)");
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= uint64_t(bytes[i]) << (8 * i);
  RRCNN_CHECK(n >= 2 && n <= 100'000'000 && n <= bytes.size() - 8,
              path << ": not a safetensors file or truncated (header length " << n << ", file "
                   << bytes.size() << " bytes)");
  const std::string header(reinterpret_cast<const char*>(bytes.data() + 8), size_t(n));
  const Json root = parse_json(header, path + " header");
  RRCNN_CHECK(root.is_object(), path << ": header is not a JSON object");
  const size_t data_size = bytes.size() - 8 - size_t(n);
  const uint8_t* data = bytes.data() + 8 + n;
  StFile out;
  std::vector<std::pair<size_t, size_t>> ranges;
  for (const auto& [name, v] : root.items()) {
    if (name == "__metadata__") {
      RRCNN_CHECK(v.is_object(), path << ": __metadata__ is not an object");
      for (const auto& [k, s] : v.items()) {
        RRCNN_CHECK(s.is_string(), path << ": metadata '" << k << "' is not a string");
        out.metadata[k] = s.template get<std::string>();
      }
      continue;
    }
    const Json* dtype = json_find(v, "dtype");
    const Json* shape = json_find(v, "shape");
    const Json* offs = json_find(v, "data_offsets");
    double b = 0, e = 0;
    RRCNN_CHECK(dtype && dtype->is_string() && shape && shape->is_array() && offs &&
                    offs->is_array() && offs->size() == 2 && json_number((*offs)[0], &b) &&
                    json_number((*offs)[1], &e),
                path << ": tensor '" << name << "' lacks dtype, shape or data_offsets");
    const std::string& type = dtype->get_ref<const std::string&>();
    RRCNN_CHECK(type == "F32", path << ": tensor '" << name << "' has dtype " << type
                                    << "; only F32 is supported");
    StTensor t;
    size_t count = 1;
    for (const Json& d : *shape) {
      double x = -1;
      RRCNN_CHECK(json_number(d, &x) && x >= 0 && x <= 1e9 && x == int(x),
                  path << ": tensor '" << name << "' has a bad shape");
      t.shape.push_back(int(x));
      count *= size_t(x);
      // Bounded by the data section at every factor, so the product cannot wrap around.
      RRCNN_CHECK(count <= data_size / 4, path << ": tensor '" << name << "' shape needs more data "
                                              << "than the file's " << data_size << " bytes");
    }
    RRCNN_CHECK(b >= 0 && e >= b && e <= double(data_size) && b == size_t(b) && e == size_t(e),
                path << ": tensor '" << name << "' data [" << b << ", " << e
                     << ") is outside the file's " << data_size << " data bytes (truncated file?)");
    RRCNN_CHECK(size_t(e - b) == 4 * count, path << ": tensor '" << name << "' has " << size_t(e - b)
                                                 << " bytes but its shape needs " << 4 * count);
    ranges.emplace_back(size_t(b), size_t(e));
    t.data.resize(count);
    std::memcpy(t.data.data(), data + size_t(b), 4 * count);
    out.tensors.emplace_back(name, std::move(t));
  }
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); ++i)
    RRCNN_CHECK(ranges[i].first >= ranges[i - 1].second, path << ": tensors overlap in the data section");
  return out;
}

StFile read_safetensors(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  RRCNN_CHECK(f, path << ": cannot open (" << std::strerror(errno) << ")");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return decode_safetensors(bytes, path);
}

void write_file_atomic(const std::string& path, const void* data, size_t size) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  RRCNN_CHECK(fd >= 0, path << ": cannot write (" << std::strerror(errno) << ")");
  const char* p = static_cast<const char*>(data);
  size_t left = size;
  while (left > 0) {
    const ssize_t w = ::write(fd, p, left);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      RRCNN_FAIL(path << ": write failed (" << std::strerror(err) << "); the previous file is untouched");
    }
    p += w;
    left -= size_t(w);
  }
  // fsync before rename: a crash leaves either the old file or the complete new one.
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced || std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    RRCNN_FAIL(path << ": could not replace the file (" << std::strerror(err) << ")");
  }
}

void write_safetensors(const std::string& path, const StFile& file) {
  const std::vector<uint8_t> bytes = encode_safetensors(file);
  write_file_atomic(path, bytes.data(), bytes.size());
}

}  // namespace rrcnn
