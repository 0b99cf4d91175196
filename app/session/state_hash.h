// A 64-bit FNV-1a hash of a live state's bytes, as 16 hex digits: what a replay compares with
// the session it replays (the studio's --report "live_state_hash", render --script's output).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace rrcnn {

inline std::string state_hash_hex(const std::vector<float>& state) {
  uint64_t h = 1469598103934665603ull;
  for (float v : state) {
    unsigned char b[sizeof(float)];
    std::memcpy(b, &v, sizeof b);
    for (unsigned char x : b) h = (h ^ x) * 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace rrcnn
