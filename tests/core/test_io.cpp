// IDX, safetensors and checkpoint round trips, and the rejection of malformed files.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <vector>

#include "core/checkpoint.h"
#include "core/error.h"
#include "core/dataset.h"
#include "core/idx.h"
#include "core/init.h"
#include "core/json.h"
#include "core/param_layout.h"
#include "core/safetensors.h"

using namespace rrcnn;

namespace {

std::string temp_dir() {
  char tmpl[] = "/tmp/rrcnn-test-XXXXXX";
  const char* d = mkdtemp(tmpl);
  REQUIRE(d != nullptr);
  return d;
}

void write_bytes(const std::string& path, const std::vector<uint8_t>& b) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}

std::vector<uint8_t> read_raw(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

bool file_exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

}  // namespace

TEST_CASE("IDX: round trip and rejection of malformed files") {
  const std::string dir = temp_dir();
  IdxArray a;
  a.dims = {3, 2, 4};
  for (int i = 0; i < 24; ++i) a.data.push_back(uint8_t(i * 10));
  write_idx(dir + "/ok.idx", a);
  const IdxArray b = read_idx(dir + "/ok.idx");
  CHECK(b.dims == a.dims);
  CHECK(b.data == a.data);

  std::vector<uint8_t> bytes = read_raw(dir + "/ok.idx");
  auto bad = bytes;
  bad.pop_back();
  CHECK_THROWS_WITH_AS(parse_idx(bad, "t.idx"), doctest::Contains("t.idx: truncated"), Error);
  bad = bytes;
  bad.push_back(0);
  CHECK_THROWS_WITH_AS(parse_idx(bad, "t.idx"), doctest::Contains("trailing data"), Error);
  bad = bytes;
  bad[0] = 0x1f;  // not gzip either (second byte is not 0x8b)
  CHECK_THROWS_WITH_AS(parse_idx(bad, "t.idx"), doctest::Contains("not an IDX file"), Error);
  bad = bytes;
  bad[2] = 0x0D;  // float element type
  CHECK_THROWS_WITH_AS(parse_idx(bad, "t.idx"), doctest::Contains("not unsigned byte"), Error);
  CHECK_THROWS_WITH_AS(read_idx(dir + "/missing.idx"), doctest::Contains("missing.idx: cannot open"), Error);
  // A gzip file cut short is reported as truncated, naming the file.
  const std::vector<uint8_t> gz = read_raw(std::string(RRCNN_TEST_DIR) + "/../assets/mnist-10k-labels-idx1-ubyte.gz");
  write_bytes(dir + "/cut.gz", std::vector<uint8_t>(gz.begin(), gz.begin() + long(gz.size() / 2)));
  CHECK_THROWS_WITH_AS(read_idx(dir + "/cut.gz"), doctest::Contains("cut.gz: truncated gzip"), Error);
}

TEST_CASE("the embedded MNIST subset loads with its fixed split and class counts") {
  const DataSplit s = load_data_dir(std::string(RRCNN_TEST_DIR) + "/../assets");
  CHECK(s.train.count() == 9000);
  CHECK(s.test.count() == 1000);
  CHECK(s.train.height == 28);
  CHECK(s.train.width == 28);
  std::vector<int> counts(10, 0);
  for (uint8_t l : s.train.labels) counts[l]++;
  for (uint8_t l : s.test.labels) counts[l]++;
  CHECK(counts == std::vector<int>{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978});
  float mx = 0;
  for (float v : s.train.images) mx = std::max(mx, v);
  CHECK(mx == 1.0f);
  const auto idx = sample_indices(9000, 8, 5, 7);
  CHECK(idx == sample_indices(9000, 8, 5, 7));
  for (int i : idx) CHECK((i >= 0 && i < 9000));
  CHECK_THROWS_WITH_AS(load_data_dir("/nonexistent"), doctest::Contains("does not exist"), Error);
  CHECK_THROWS_WITH_AS(load_data_dir(temp_dir()), doctest::Contains("has no IDX digits"), Error);
}

TEST_CASE("safetensors: round trip, and every kind of damage is rejected") {
  StFile f;
  f.metadata["k"] = "v \"quoted\"";
  f.tensors.push_back({"a", {{2, 3}, {1, 2, 3, 4, 5, 6}}});
  f.tensors.push_back({"b", {{1}, {-7.5f}}});
  const auto bytes = encode_safetensors(f);
  CHECK((bytes.size() - 8 - 4 * 7) % 8 == 0);  // header padded to 8 bytes
  const StFile g = decode_safetensors(bytes, "x.st");
  CHECK(g.metadata.at("k") == "v \"quoted\"");
  REQUIRE(g.find("a"));
  CHECK(g.find("a")->shape == std::vector<int>{2, 3});
  CHECK(g.find("a")->data == f.tensors[0].second.data);
  CHECK(g.find("b")->data[0] == -7.5f);

  auto cut = bytes;
  cut.resize(cut.size() - 4);
  CHECK_THROWS_WITH_AS(decode_safetensors(cut, "x.st"), doctest::Contains("x.st: tensor"), Error);
  CHECK_THROWS_WITH_AS(decode_safetensors({1, 2, 3}, "x.st"), doctest::Contains("too short"), Error);
  auto huge = bytes;
  huge[5] = 0x7f;
  CHECK_THROWS_WITH_AS(decode_safetensors(huge, "x.st"), doctest::Contains("header length"), Error);
  auto garbled = bytes;
  garbled[9] = '!';
  CHECK_THROWS_WITH_AS(decode_safetensors(garbled, "x.st"), doctest::Contains("invalid JSON"), Error);
  CHECK_THROWS_WITH_AS(parse_json("{\"a\": [1, 2", "j"), doctest::Contains("j: invalid JSON"), Error);
}

TEST_CASE("checkpoints: round trip with and without optimiser state; atomic save") {
  const std::string dir = temp_dir();
  Checkpoint ck;
  ck.config = model_preset("lite");
  const ParamLayout layout(ck.config);
  ck.params = init_params(layout, 9);
  ck.params.back() = 0.25f;
  ck.seed = 77;
  ck.adam.mu.assign(layout.trained_count(), 0.5f);
  ck.adam.nu.assign(layout.trained_count(), 0.125f);
  ck.adam.step = 42;
  const std::string path = dir + "/m.safetensors";
  save_checkpoint(path, ck, true);
  CHECK_FALSE(file_exists(path + ".tmp"));
  const Checkpoint back = load_checkpoint(path);
  CHECK(back.params == ck.params);
  CHECK(back.adam.mu == ck.adam.mu);
  CHECK(back.adam.nu == ck.adam.nu);
  CHECK(back.adam.step == 42);
  CHECK(back.seed == 77);
  CHECK(back.config.hidden == ck.config.hidden);
  CHECK(back.config.channels == 16);
  CHECK(back.config.rollout_steps == 32);
  CHECK(back.config.preset == "lite");

  save_checkpoint(path, ck, false);
  const Checkpoint lean = load_checkpoint(path);
  CHECK(lean.adam.empty());
  CHECK(lean.adam.step == 0);
  CHECK(lean.params == ck.params);

  // A NaN parameter, a wrong shape and a foreign file are all refused with the file's name.
  StFile raw = read_safetensors(path);
  raw.tensors[1].second.data[0] = std::nanf("");
  write_safetensors(dir + "/nan.safetensors", raw);
  CHECK_THROWS_WITH_AS(load_checkpoint(dir + "/nan.safetensors"),
                       doctest::Contains("nan.safetensors: tensor 'update.layers.0.kernel' element 0 is nan"), Error);
  raw = read_safetensors(path);
  raw.metadata["channels"] = "17";
  write_safetensors(dir + "/shape.safetensors", raw);
  CHECK_THROWS_WITH_AS(load_checkpoint(dir + "/shape.safetensors"), doctest::Contains("wrong shape"), Error);
  raw.metadata.erase("format");
  write_safetensors(dir + "/foreign.safetensors", raw);
  CHECK_THROWS_WITH_AS(load_checkpoint(dir + "/foreign.safetensors"),
                       doctest::Contains("metadata 'format' missing"), Error);
  // Saving into a missing directory fails cleanly and leaves nothing behind.
  CHECK_THROWS_WITH_AS(save_checkpoint(dir + "/no/such/dir.safetensors", ck), doctest::Contains("cannot write"), Error);
}
