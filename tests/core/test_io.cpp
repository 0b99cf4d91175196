// IDX, safetensors and checkpoint round trips, and the rejection of malformed files.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "core/error.h"
#include "core/dataset.h"
#include "core/idx.h"
#include "core/init.h"
#include "core/json_io.h"
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

TEST_CASE("json: the limits and the error line of parse_json") {
  // One line: what, the byte offset, the problem (nlohmann's own prefix removed).
  CHECK_THROWS_WITH_AS(parse_json("{\"a\": [1, 2", "j.json"),
                       "j.json: invalid JSON at byte 11: syntax error while parsing array - "
                       "unexpected end of input; expected ']'",
                       Error);
  CHECK_THROWS_WITH_AS(parse_json("[1, 1e400]", "j"), "j: invalid JSON at byte 8: number overflow parsing '1e400'",
                       Error);
  CHECK_THROWS_WITH_AS(parse_json("{\"a\": 1, \"a\": 2}", "j"),
                       "j: invalid JSON at byte 11: duplicate key \"a\"", Error);
  CHECK_THROWS_WITH_AS(parse_json("{\"a\": {\"b\": 1, \"b\": 2}}", "j"), doctest::Contains("duplicate key \"b\""),
                       Error);
  CHECK(parse_json("[{\"a\": 1}, {\"a\": 2}]", "j").size() == 2);  // the same key in two objects
  for (const char* bad : {"NaN", "-nan", "Infinity", "0x10", "[1,]", "{\"a\" 1}", "\"\xff\"", "1 2", ""})
    CHECK_THROWS_WITH_AS(parse_json(bad, "j"), doctest::Contains("j: invalid JSON at byte"), Error);

  // Nesting: 64 levels are read, the 65th is refused where it opens; a hostile header of a
  // million brackets stops there too, without building anything.
  const auto nested = [](int depth) { return std::string(size_t(depth), '[') + std::string(size_t(depth), ']'); };
  CHECK(parse_json(nested(kJsonMaxDepth), "j").is_array());
  CHECK_THROWS_WITH_AS(parse_json(nested(kJsonMaxDepth + 1), "j"),
                       "j: invalid JSON at byte 64: nested more than 64 levels deep", Error);
  CHECK_THROWS_WITH_AS(parse_json(std::string(1'000'000, '['), "j"), doctest::Contains("nested more than 64"),
                       Error);
  CHECK_THROWS_WITH_AS(parse_json(nested(3), "j", 2), doctest::Contains("nested more than 2 levels"), Error);

  // Objects keep the file's order; numbers of every kind read as doubles.
  const Json j = parse_json(R"({"z": 1, "a": [-2, 2.5, 18446744073709551615], "m": "\u00e9"})", "j");
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"z", "a", "m"});
  double x = 0;
  CHECK((json_number(j["a"][0], &x) && x == -2));
  CHECK((json_number(j["a"][1], &x) && x == 2.5));
  CHECK((json_number(j["a"][2], &x) && x == 18446744073709551615.0));
  CHECK_FALSE(json_number(j["m"], &x));
  CHECK(j["m"] == "\xc3\xa9");
  CHECK(json_find(j, "z"));
  CHECK_FALSE(json_find(j, "y"));
  CHECK_FALSE(json_find(j["a"], "z"));

  // Quoting: escapes, and bytes that are not UTF-8 replaced so the output always parses.
  CHECK(json_quote("a\"b\\\n\x01") == "\"a\\\"b\\\\\\n\\u0001\"");
  CHECK(json_quote("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
  CHECK(json_quote("bad \xff byte") == "\"bad \xef\xbf\xbd byte\"");
  CHECK(parse_json(json_quote("bad \xff byte"), "q") == "bad \xef\xbf\xbd byte");
}

TEST_CASE("safetensors: the header is written compactly in the order given") {
  StFile f;
  f.metadata["k"] = "v";
  f.tensors.push_back({"z", {{1}, {1}}});
  f.tensors.push_back({"a", {{2}, {2, 3}}});
  const auto bytes = encode_safetensors(f);
  std::string header(bytes.begin() + 8, bytes.end() - 12);
  CHECK(header.size() % 8 == 0);
  header.erase(header.find_last_not_of(' ') + 1);  // the padding
  CHECK(header == R"({"__metadata__":{"k":"v"},"z":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                  R"("a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})");
  f.tensors.push_back({"z", {{1}, {1}}});
  CHECK_THROWS_WITH_AS(encode_safetensors(f), doctest::Contains("tensor name 'z' is used twice"), Error);
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
