// The safetensors container (float32 only): 8-byte little-endian header length N, N bytes of
// JSON {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
// "__metadata__": {"key": "value"}}, then the raw little-endian data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rrcnn {

struct StTensor {
  std::vector<int> shape;
  std::vector<float> data;
};

struct StFile {
  std::map<std::string, std::string> metadata;
  std::vector<std::pair<std::string, StTensor>> tensors;  // in file order
  const StTensor* find(const std::string& name) const;
};

// Serialises to bytes (header padded to 8 bytes, tensors in the given order).
std::vector<uint8_t> encode_safetensors(const StFile& file);
// Parses bytes; `path` names the file in errors. Rejects truncation, overlapping or
// out-of-range offsets, unsupported dtypes and shape/size mismatches.
StFile decode_safetensors(const std::vector<uint8_t>& bytes, const std::string& path);

StFile read_safetensors(const std::string& path);
// Atomic: PATH.tmp, flush + fsync, rename.
void write_safetensors(const std::string& path, const StFile& file);

// Writes a whole file atomically (used by checkpoints and exports).
void write_file_atomic(const std::string& path, const void* data, size_t size);

}  // namespace rrcnn
