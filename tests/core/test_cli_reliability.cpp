// `rrcnn train` as a user's scheduler sees it: SIGTERM, SIGHUP and SIGINT save and exit with
// 128 + the signal number, a second signal ends the process at once, a diverging run leaves
// OUT.last-good.safetensors, and error lines carry no source location unless RRCNN_DEBUG is
// set. Runs the real binary (RRCNN_BIN) on the lite preset.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "core/error.h"

using namespace rrcnn;

namespace {

// A fresh folder under /tmp, removed again even when a check fails.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/rrcnn-cli-XXXXXX";
    if (mkdtemp(tmpl)) path = tmpl;
    REQUIRE(!path.empty());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

// The binary running with stderr on a pipe we read.
class Run {
 public:
  explicit Run(std::vector<std::string> args, const std::vector<std::string>& env = {}) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(fds[1], 2);
      close(fds[0]);
      close(fds[1]);
      for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
      std::vector<char*> argv{const_cast<char*>(RRCNN_BIN)};
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(RRCNN_BIN, argv.data());
      _exit(127);
    }
    close(fds[1]);
    fd_ = fds[0];
  }
  ~Run() {
    if (pid_ > 0 && !waited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(fd_);
  }
  // Reads stderr until `text` appears (true) or the process closes it or time runs out.
  bool wait_for(const std::string& text, double seconds = 120) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (err_.find(text) == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          end - std::chrono::steady_clock::now()).count();
      if (left <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, int(left)) <= 0) return false;
      char buf[4096];
      const ssize_t n = read(fd_, buf, sizeof buf);
      if (n <= 0) return false;
      err_.append(buf, size_t(n));
    }
    return true;
  }
  void signal(int signo) { REQUIRE(kill(pid_, signo) == 0); }
  // Whether the process still catches `signo` (its handler is installed), from /proc.
  bool catches(int signo) const {
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(status, line))
      if (line.rfind("SigCgt:", 0) == 0)
        return (std::stoull(line.substr(7), nullptr, 16) >> (signo - 1)) & 1;
    return false;
  }
  // Waits for the exit; returns the raw wait status and collects the rest of stderr.
  int finish() {
    wait_for("\x01 never printed");
    int status = 0;
    REQUIRE(waitpid(pid_, &status, 0) == pid_);
    waited_ = true;
    return status;
  }
  const std::string& err() const { return err_; }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  bool waited_ = false;
  std::string err_;
};

std::vector<std::string> train_args(const std::string& out, int steps, const std::string& preset = "lite") {
  return {"train", "--preset", preset, "--steps", std::to_string(steps), "--out", out,
          "--save-every", "1000000", "--backend", "cpu", "--threads", "1"};
}

}  // namespace

TEST_CASE("rrcnn train: SIGTERM, SIGHUP and SIGINT save and exit with 128 + the signal") {
  const TempDir tmp;
  const std::string& dir = tmp.path;
  for (int signo : {SIGTERM, SIGHUP, SIGINT}) {
    const std::string out = dir + "/sig" + std::to_string(signo) + ".safetensors";
    Run run(train_args(out, 100000));
    REQUIRE(run.wait_for("training lite"));
    REQUIRE(run.wait_for("step 1/"));  // at least one step done, so the file has progress
    run.signal(signo);
    const int status = run.finish();
    INFO("signal " << signo << ", stderr:\n" << run.err());
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 128 + signo);
    CHECK(run.err().find("interrupted by SIG") != std::string::npos);
    CHECK(run.err().find("saved " + out + " at step") != std::string::npos);
    const Checkpoint ck = load_checkpoint(out);
    CHECK(ck.adam.step >= 1);
    CHECK_FALSE(std::filesystem::exists(out + ".tmp"));
  }
}

TEST_CASE("rrcnn train: a second signal ends the process at once") {
  const TempDir tmp;
  const std::string& dir = tmp.path;
  const std::string out = dir + "/twice.safetensors";
  // The seed preset's steps are long enough that the second signal lands inside one.
  Run run(train_args(out, 100000, "seed"));
  REQUIRE(run.wait_for("step 1/"));  // the second step is running now
  run.signal(SIGTERM);
  // Two signals sent before the first is delivered merge into one (standard signals do not
  // queue): send the second once the first handler has run, which restores the default action.
  for (int i = 0; i < 5000 && run.catches(SIGTERM); ++i) usleep(2000);
  REQUIRE_FALSE(run.catches(SIGTERM));
  run.signal(SIGTERM);
  const int status = run.finish();
  INFO("stderr:\n" << run.err());
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGTERM);
  // Whatever happened, there is no half-written checkpoint under the output name.
  if (std::filesystem::exists(out)) CHECK_NOTHROW(load_checkpoint(out));
}

TEST_CASE("rrcnn train --lr 1: divergence saves the last good state and names the step") {
  const TempDir tmp;
  const std::string& dir = tmp.path;
  const std::string out = dir + "/diverge.safetensors";
  std::vector<std::string> args = train_args(out, 3000);
  args.insert(args.end(), {"--lr", "1"});
  Run run(args);
  const int status = run.finish();
  INFO("stderr:\n" << run.err());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  const std::string good = dir + "/diverge.last-good.safetensors";
  CHECK(run.err().find("training diverged") != std::string::npos);
  CHECK(run.err().find(good) != std::string::npos);
  CHECK(run.err().find("--lr") != std::string::npos);
  CHECK(run.err().find(".cpp:") == std::string::npos);  // no source location for users
  const Checkpoint ck = load_checkpoint(good);  // finite, complete, with Adam state
  CHECK_FALSE(ck.adam.empty());
  CHECK(run.err().find("(step " + std::to_string(ck.adam.step) + ")") != std::string::npos);
}

TEST_CASE("error lines: no source location, unless RRCNN_DEBUG is set") {
  const TempDir tmp;
  const std::string& dir = tmp.path;
  const std::string bad = dir + "/not-a-checkpoint.safetensors";
  FILE* f = std::fopen(bad.c_str(), "wb");
  REQUIRE(f != nullptr);
  std::fputs("garbage", f);
  std::fclose(f);
  {
    Run run({"info", bad});
    const int status = run.finish();
    CHECK(WEXITSTATUS(status) == 1);
    CHECK(run.err().find("rrcnn: error: " + bad + ": too short") == 0);
    CHECK(run.err().find(".cpp:") == std::string::npos);
  }
  {
    Run run({"info", bad}, {"RRCNN_DEBUG=1"});
    const int status = run.finish();
    CHECK(WEXITSTATUS(status) == 1);
    CHECK(run.err().find("[core/safetensors.cpp:") != std::string::npos);
  }
}
