// Crash safety of checkpoint saving: a child process saves checkpoints in a loop and is killed
// with SIGKILL at random moments; whatever is on disk afterwards must be the previous or the
// new complete checkpoint, never a torn or missing one. (SIGKILL leaves the page cache intact,
// so this exercises write-to-temporary + rename, not fsync against power loss.)
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "core/checkpoint.h"
#include "core/error.h"
#include "core/param_layout.h"

using namespace rrcnn;

namespace {

// Version v: every parameter and moment equals v, and the optimiser step is v, so a file that
// mixes two versions or stops short is recognisable.
Checkpoint version(const ModelConfig& c, int v) {
  const ParamLayout layout(c);
  Checkpoint ck;
  ck.config = c;
  ck.seed = uint64_t(v);
  ck.params.assign(layout.total(), float(v));
  ck.adam.mu.assign(layout.trained_count(), float(v));
  ck.adam.nu.assign(layout.trained_count(), float(v));
  ck.adam.step = v;
  return ck;
}

// Shared with the child: the version it is writing and the last one save_checkpoint returned.
struct Progress {
  std::atomic<int> started{0};
  std::atomic<int> done{0};
};

[[noreturn]] void save_forever(const std::string& path, const ModelConfig& c, Progress* p, int from) {
  for (int v = from;; ++v) {
    p->started.store(v);
    save_checkpoint(path, version(c, v));
    p->done.store(v);
  }
}

}  // namespace

TEST_CASE("crash safety: SIGKILL while saving leaves the previous or the new complete checkpoint") {
  char tmpl[] = "/tmp/rrcnn-crash-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  struct Cleanup {
    std::string dir;
    ~Cleanup() { std::filesystem::remove_all(dir); }
  } cleanup{tmpl};
  const std::string path = std::string(tmpl) + "/model.safetensors";
  const ModelConfig c = model_preset("seed");  // about 1 MB with Adam state: writes take a while
  save_checkpoint(path, version(c, 1));

  void* mem = mmap(nullptr, sizeof(Progress), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  REQUIRE(mem != MAP_FAILED);
  Progress* progress = new (mem) Progress;
  std::mt19937 rng(20240611u);
  std::uniform_int_distribution<int> delay_us(0, 6000);
  int on_disk = 1, kills = 0, new_versions = 0, mid_write = 0;
  for (int round = 0; round < 60; ++round) {
    progress->started.store(on_disk);
    progress->done.store(on_disk);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      try {
        save_forever(path, c, progress, on_disk + 1);
      } catch (...) {
        _exit(3);
      }
    }
    usleep(useconds_t(delay_us(rng)));
    REQUIRE(kill(child, SIGKILL) == 0);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFSIGNALED(status));
    ++kills;
    const int started = progress->started.load(), done = progress->done.load();
    if (started != done) ++mid_write;
    Checkpoint got;
    CHECK_NOTHROW(got = load_checkpoint(path));
    const int v = int(got.adam.step);
    INFO("round " << round << ": file holds version " << v << ", child had finished " << done
                  << " and started " << started);
    REQUIRE((v == done || v == started));
    const ParamLayout layout(c);
    REQUIRE(got.params.size() == layout.total());
    bool uniform = got.seed == uint64_t(v);
    for (float x : got.params) uniform = uniform && x == float(v);
    for (float x : got.adam.mu) uniform = uniform && x == float(v);
    for (float x : got.adam.nu) uniform = uniform && x == float(v);
    REQUIRE(uniform);
    if (v != on_disk) ++new_versions;
    on_disk = v;
  }
  MESSAGE(kills << " kills, " << mid_write << " while a save was in progress, " << new_versions
                << " rounds ended on a newer file");
  CHECK(kills >= 50);
  CHECK(mid_write >= 10);  // the kills really landed inside saves, not only between them
  munmap(mem, sizeof(Progress));
}
