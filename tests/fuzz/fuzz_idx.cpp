// libFuzzer target: the IDX reader (gzip detection and decoding, header, sizes) on arbitrary
// bytes. Any input may be rejected with rrcnn::Error; nothing else may escape or crash.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "core/idx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const std::vector<uint8_t> bytes =
        rrcnn::gunzip_if_compressed(std::vector<uint8_t>(data, data + size), "fuzz.idx");
    const rrcnn::IdxArray a = rrcnn::parse_idx(bytes, "fuzz.idx");
    size_t count = 1;
    for (int d : a.dims) count *= size_t(d);
    if (count != a.data.size()) __builtin_trap();  // the reader promised product(dims) bytes
  } catch (const rrcnn::Error&) {
  }
  return 0;
}
