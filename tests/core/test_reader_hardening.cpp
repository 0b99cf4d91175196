// Hostile files the fuzzers and the reliability review turned up (docs/reliability.md), kept
// as regression tests: each must be one clear error, quickly and without big allocations.
// The sanitized suite runs with ASan's max_allocation_size_mb, so a reader that allocates
// gigabytes for a small file fails there even if the error message stays right.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "core/error.h"
#include "core/init.h"
#include "core/param_layout.h"
#include "core/safetensors.h"

using namespace rrcnn;

namespace {

// A valid lite checkpoint as a container, for editing.
StFile lite_file(bool with_adam) {
  Checkpoint ck;
  ck.config = model_preset("lite");
  const ParamLayout layout(ck.config);
  ck.params = init_params(layout, 1);
  if (with_adam) {
    ck.adam.mu.assign(layout.trained_count(), 0.01f);
    ck.adam.nu.assign(layout.trained_count(), 0.001f);
    ck.adam.step = 5;
  }
  char tmpl[] = "/tmp/rrcnn-hard-XXXXXX";
  const int fd = mkstemp(tmpl);
  REQUIRE(fd >= 0);
  close(fd);
  save_checkpoint(tmpl, ck, with_adam);
  StFile f = read_safetensors(tmpl);
  std::remove(tmpl);
  return f;
}

Checkpoint decode(const StFile& f) { return decode_checkpoint(encode_safetensors(f), "h.safetensors"); }

}  // namespace

TEST_CASE("safetensors: a shape whose element count wraps around 64 bits is refused") {
  // 2^29 * 2^29 * 16 elements of 4 bytes: 2^64 bytes, which wraps to 0 = the (empty) data range.
  const std::string header =
      R"({"t":{"dtype":"F32","shape":[536870912,536870912,16],"data_offsets":[0,0]}})";
  std::vector<uint8_t> bytes(8, 0);
  bytes[0] = uint8_t(header.size());
  for (char c : header) bytes.push_back(uint8_t(c));
  CHECK_THROWS_WITH_AS(decode_safetensors(bytes, "wrap.st"),
                       doctest::Contains("wrap.st: tensor 't' shape needs more data"), Error);
}

TEST_CASE("checkpoint: metadata describing a model of gigabytes is refused before allocating") {
  StFile f = lite_file(false);
  f.metadata["channels"] = "4096";
  f.metadata["perception"] = "4096";
  f.metadata["hidden"] = "8192,8192,8192,8192,8192,8192,8192,8192";
  f.tensors.clear();
  CHECK_THROWS_WITH_AS(decode(f), doctest::Contains("h.safetensors: tensor 'perceive.kernel' missing"), Error);
}

TEST_CASE("checkpoint: integers outside int and a seed that is no number are refused") {
  StFile f = lite_file(false);
  f.metadata["height"] = "4294967324";  // 2^32 + 28 used to wrap to a valid 28
  CHECK_THROWS_WITH_AS(decode(f), doctest::Contains("metadata 'height' = '4294967324' is not an integer"), Error);
  f = lite_file(false);
  f.metadata["seed"] = "twelve";
  CHECK_THROWS_WITH_AS(decode(f), doctest::Contains("metadata 'seed' = 'twelve'"), Error);
  f.metadata["seed"] = "-1";
  CHECK_THROWS_WITH(decode(f), doctest::Contains("not an unsigned integer"));
}

TEST_CASE("checkpoint: Adam moments that would poison the first update are refused") {
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    StFile f = lite_file(true);
    for (auto& [name, t] : f.tensors)
      if (name.rfind("adam.mu.", 0) == 0) t.data[3] = bad;
    CHECK_THROWS_WITH_AS(decode(f), doctest::Contains("Adam moments of"), Error);
  }
  StFile f = lite_file(true);
  for (auto& [name, t] : f.tensors)
    if (name.rfind("adam.nu.", 0) == 0) t.data[0] = -1.0f;
  CHECK_THROWS_WITH_AS(decode(f), doctest::Contains("Adam moments of"), Error);
  CHECK_NOTHROW(decode(lite_file(true)));
}

TEST_CASE("safetensors: a header of 200 thousand keys is read without a search per key") {
  // ordered_json's own insert searches the object for the key: quadratic in a hostile header
  // (minutes for this one). parse_json appends after its own hashed duplicate check.
  std::string header = "{";
  for (int i = 0; i < 200'000; ++i) header += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":0";
  header += "}";
  std::vector<uint8_t> bytes(8, 0);
  for (int i = 0; i < 8; ++i) bytes[size_t(i)] = uint8_t(uint64_t(header.size()) >> (8 * i));
  for (char c : header) bytes.push_back(uint8_t(c));
  CHECK_THROWS_WITH_AS(decode_safetensors(bytes, "keys.st"),
                       doctest::Contains("keys.st: tensor 'k0' lacks dtype, shape or data_offsets"), Error);
}
