// Reader for IDX files (the MNIST container format): big-endian magic 0x00000803 for unsigned
// byte images (N, rows, cols) and 0x00000801 for labels (N). Raw or gzip-compressed (by magic
// bytes, not by file name). Every malformed file is rejected with its path and the problem.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rrcnn {

struct IdxArray {
  std::vector<int> dims;       // e.g. {10000, 28, 28}
  std::vector<uint8_t> data;   // product(dims) bytes
};

// Reads a whole file, transparently gunzipping it. Throws rrcnn::Error naming the path.
std::vector<uint8_t> read_file_bytes(const std::string& path);
// The gzip step of read_file_bytes on bytes already in memory (by magic bytes; other data is
// returned as it is); `path` is used in messages only.
std::vector<uint8_t> gunzip_if_compressed(std::vector<uint8_t> bytes, const std::string& path);

// Parses an unsigned-byte IDX array; `path` is used in messages only.
IdxArray parse_idx(const std::vector<uint8_t>& bytes, const std::string& path);
IdxArray read_idx(const std::string& path);

// Writes an uncompressed unsigned-byte IDX file (for tests and tools).
void write_idx(const std::string& path, const IdxArray& array);

}  // namespace rrcnn
