// `rrcnn train` with a custom architecture as a user runs it: flags and a JSON config train a
// model of that shape, `rrcnn info` prints its config, other commands open it, and a bad value
// fails with one line naming the flag or field.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/checkpoint.h"

using namespace rrcnn;

namespace {

struct Result {
  int status = -1;
  std::string out;  // stdout and stderr together
};

Result sh(const std::string& args) {
  Result r;
  const std::string cmd = std::string(RRCNN_BIN) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

struct Dir {
  std::string path;
  Dir() {
    char tmpl[] = "/tmp/rrcnn-cfg-XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    path = tmpl;
  }
  ~Dir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("rrcnn train --channels/--hidden/...: the checkpoint and rrcnn info hold the config") {
  const Dir d;
  const std::string out = d.path + "/odd.safetensors";
  const Result t = sh("train --channels 5 --perception 7 --hidden 13,17 --dropout 0.25 "
                      "--step-size 0.5 --horizon 6 --steps 2 --batch 2 --backend cpu --threads 1 "
                      "--quiet --out " + out);
  INFO(t.out);
  REQUIRE(t.status == 0);
  const Checkpoint ck = load_checkpoint(out);
  CHECK(ck.config.preset == "custom");
  CHECK(ck.config.channels == 5);
  CHECK(ck.config.perception == 7);
  CHECK(ck.config.hidden == std::vector<int>{13, 17});
  CHECK(ck.config.dropout_rate == 0.25f);
  CHECK(ck.config.step_size == 0.5f);
  CHECK(ck.config.rollout_steps == 6);
  CHECK(ck.adam.step == 2);
  const Result info = sh("info " + out);
  INFO(info.out);
  CHECK(info.status == 0);
  CHECK(info.out.find("\"channels\": 5, \"perception\": 7, \"hidden\": [13, 17]") != std::string::npos);
  CHECK(info.out.find("5 -> 13,17 -> 5") == std::string::npos);  // MLP line: P -> hidden -> C
  CHECK(info.out.find("7 -> 13,17 -> 5") != std::string::npos);
  // Resuming keeps the config; the architecture cannot change on resume.
  const Result r = sh("train --resume " + out + " --steps 1 --batch 2 --backend cpu --threads 1 --quiet");
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(load_checkpoint(out).adam.step == 3);
  const Result conflict = sh("train --resume " + out + " --channels 8 --steps 1 --quiet");
  CHECK(conflict.status != 0);
  CHECK(conflict.out.find("conflict with --resume") != std::string::npos);
  // Another command opens it: a one-digit render of the odd model.
  const Result render = sh("render --ckpt " + out + " --out " + d.path + "/r.png --digits 1 --steps 2 --backend cpu --threads 1");
  INFO(render.out);
  CHECK(render.status == 0);
}

TEST_CASE("rrcnn train --config FILE.json, and bad configs fail with one line naming the field") {
  const Dir d;
  const std::string cfg = d.path + "/small.json";
  {
    std::ofstream f(cfg);
    f << "{\"name\": \"small\", \"channels\": 6, \"perception\": 10, \"hidden\": [12], \"horizon\": 4}";
  }
  const std::string out = d.path + "/small.safetensors";
  const Result t = sh("train --config " + cfg + " --steps 1 --batch 2 --backend cpu --threads 1 --quiet --out " + out);
  INFO(t.out);
  REQUIRE(t.status == 0);
  const Checkpoint ck = load_checkpoint(out);
  CHECK(ck.config.preset == "small");
  CHECK(ck.config.hidden == std::vector<int>{12});
  CHECK(ck.config.rollout_steps == 4);

  auto fails_naming = [&](const std::string& args, const std::string& name) {
    const Result r = sh(args);
    INFO(args << "\n" << r.out);
    CHECK(r.status != 0);
    CHECK(r.out.find(name) != std::string::npos);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
  };
  fails_naming("train --channels 0 --steps 1", "--channels");
  fails_naming("train --hidden 64,x --steps 1", "--hidden");
  fails_naming("train --hidden 1,2,3,4,5,6,7,8,9 --steps 1", "hidden");
  fails_naming("train --dropout 1 --steps 1", "--dropout");
  fails_naming("train --horizon 0 --steps 1", "--horizon");
  fails_naming("train --config nosuch --steps 1", "nosuch");
  {
    std::ofstream f(d.path + "/bad.json");
    f << "{\"channels\": 8, \"hiden\": [4]}";
  }
  fails_naming("train --config " + d.path + "/bad.json --steps 1", "unknown field 'hiden'");
  {
    std::ofstream f(d.path + "/bad2.json");
    f << "{\"step_size\": -1}";
  }
  fails_naming("train --config " + d.path + "/bad2.json --steps 1", "step_size");
}

TEST_CASE("rrcnn train --pool on a custom config: recipe in the checkpoint, pool and log beside it") {
  const Dir d;
  const std::string out = d.path + "/pool.safetensors";
  const Result t = sh("train --channels 6 --perception 10 --hidden 12 --train-perception --pool 8 "
                      "--horizon 3..5 --damage 1 --steps 2 --batch 3 --backend cpu --threads 1 "
                      "--quiet --out " + out);
  INFO(t.out);
  REQUIRE(t.status == 0);
  const Checkpoint ck = load_checkpoint(out);
  CHECK(ck.recipe == "pool");
  CHECK(ck.config.train_perception);
  CHECK(std::filesystem::exists(out + ".pool"));
  CHECK(std::filesystem::exists(d.path + "/pool.jsonl"));
  std::ifstream log(d.path + "/pool.jsonl");
  std::string first;
  std::getline(log, first);
  CHECK(first.find("\"run\"") != std::string::npos);
  CHECK(first.find("\"recipe\": \"pool\"") != std::string::npos);
  const Result info = sh("info " + out);
  CHECK(info.out.find("recipe        pool") != std::string::npos);
  CHECK(info.out.find("(trained)") != std::string::npos);
  // --no-log keeps none.
  const std::string quiet_out = d.path + "/nolog.safetensors";
  CHECK(sh("train --config lite --steps 1 --batch 2 --backend cpu --threads 1 --quiet --no-log --out " + quiet_out).status == 0);
  CHECK_FALSE(std::filesystem::exists(d.path + "/nolog.jsonl"));
}

TEST_CASE("rrcnn eval with several checkpoints prints them side by side on the same digits") {
  const Dir d;
  const std::string a = d.path + "/a.safetensors", b = d.path + "/b.safetensors";
  REQUIRE(sh("train --channels 4 --perception 6 --hidden 8 --horizon 4 --steps 1 --batch 2 "
             "--backend cpu --threads 1 --quiet --no-log --out " + a).status == 0);
  REQUIRE(sh("train --channels 5 --perception 7 --hidden 9,6 --horizon 3 --steps 1 --batch 2 "
             "--backend cpu --threads 1 --quiet --no-log --out " + b).status == 0);
  const std::string common = " --count 4 --batch 4 --alphas 0.5 --backend cpu --threads 1";
  const Result table = sh("eval " + a + " " + b + common);
  INFO(table.out);
  REQUIRE(table.status == 0);
  CHECK(table.out.find("[1] " + a) != std::string::npos);
  CHECK(table.out.find("[2] " + b) != std::string::npos);
  CHECK(table.out.find("hidden 9,6") != std::string::npos);
  CHECK(table.out.find("[2] PSNR") != std::string::npos);
  const Result json = sh("eval --json --ckpt " + a + "," + b + common + " 2>/dev/null");
  INFO(json.out);
  REQUIRE(json.status == 0);
  CHECK(json.out.find("\"checkpoints\":[{\"checkpoint\":\"" + a) != std::string::npos);
  CHECK(json.out.find("\"models\":[{") != std::string::npos);
  // One checkpoint: the table it always printed.
  const Result one = sh("eval --ckpt " + a + common);
  CHECK(one.status == 0);
  CHECK(one.out.find("model PSNR") != std::string::npos);
}

TEST_CASE("rrcnn bench runs any config and names it in its JSON") {
  const Result r = sh("bench --channels 5 --perception 7 --hidden 13,17 --horizon 3 --seconds 0 "
                      "--large 2 --peak-size 0 --backend cpu --threads 1 2>/dev/null");
  INFO(r.out);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("\"channels\": 5, \"perception\": 7, \"hidden\": [13, 17]") != std::string::npos);
  CHECK(r.out.find("\"train\": {\"steps_per_s\"") != std::string::npos);
  // 9*5*7 + 7*13 + 13*17 + 17*5 multiply-adds per cell-step forward.
  CHECK(r.out.find("\"forward_macs_per_cell_step\": 712") != std::string::npos);
}
