// File classification for drag-and-drop (see file_kind.h).
#include "gui/files/file_kind.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <utility>

namespace rrcnn {
namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string file_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

}  // namespace

const char* file_kind_name(FileKind k) {
  switch (k) {
    case FileKind::kCheckpoint:
      return "checkpoint";
    case FileKind::kIdxImages:
      return "IDX images";
    case FileKind::kIdxLabels:
      return "IDX labels";
    case FileKind::kDataDir:
      return "data directory";
    case FileKind::kMissing:
      return "missing file";
    case FileKind::kUnknown:
      return "unknown file";
  }
  return "?";
}

FileKind classify_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return FileKind::kDataDir;
  if (!std::filesystem::exists(path, ec)) return FileKind::kMissing;
  unsigned char head[9] = {};
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(head), sizeof head);
  const std::streamsize got = in.gcount();
  const std::string name = file_name(path);
  // IDX: two zero bytes, type 0x08 (unsigned byte), then the number of dimensions.
  if (got >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08) {
    if (head[3] == 3) return FileKind::kIdxImages;
    if (head[3] == 1) return FileKind::kIdxLabels;
  }
  // safetensors: little-endian u64 header length, then the JSON header.
  if (got == 9 && head[8] == '{') {
    uint64_t len = 0;
    for (int i = 7; i >= 0; --i) len = (len << 8) | head[i];
    if (len > 1 && len < (uint64_t(1) << 32)) return FileKind::kCheckpoint;
  }
  const bool gz = got >= 2 && head[0] == 0x1f && head[1] == 0x8b;
  if (gz || ends_with(name, ".gz")) {
    if (name.find("idx3") != std::string::npos || name.find("images") != std::string::npos)
      return FileKind::kIdxImages;
    if (name.find("idx1") != std::string::npos || name.find("labels") != std::string::npos)
      return FileKind::kIdxLabels;
  }
  if (ends_with(name, ".safetensors")) return FileKind::kCheckpoint;  // let the loader explain
  return FileKind::kUnknown;
}

std::string matching_labels_path(const std::string& images_path) {
  std::string p = images_path;
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"images-idx3", "labels-idx1"},
                                 {"images.idx3", "labels.idx1"}}) {
    const auto at = p.rfind(from);
    if (at == std::string::npos) continue;
    p.replace(at, from.size(), to);
    std::error_code ec;
    if (std::filesystem::exists(p, ec)) return p;
    // The other compression state of the same name.
    const std::string alt = ends_with(p, ".gz") ? p.substr(0, p.size() - 3) : p + ".gz";
    if (std::filesystem::exists(alt, ec)) return alt;
    return "";
  }
  return "";
}

}  // namespace rrcnn
