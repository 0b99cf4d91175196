// Script parsing: actions, arguments, comments and the error messages for bad lines.
#include <doctest/doctest.h>

#include "core/error.h"
#include "gui/scripting/script.h"
#include "gui/scripting/script_runner.h"

using namespace rrcnn;

TEST_CASE("script: actions with arguments, comments and blank lines") {
  const auto s = parse_script(
      "# smoke\n"
      "wait 3\n"
      "\n"
      "speed max   # as fast as possible\n"
      "play\n"
      "brush erase 2.5\n"
      "paint 0 14 14\n"
      "stroke 1 2 3 20 3\n"
      "view channel 5\n"
      "train start\n"
      "wait-train 2 600\n"
      "probe after 0 14 14\n"
      "screenshot out.png\n",
      "t.script");
  REQUIRE(s.size() == 11);
  CHECK(s[0].op == "wait");
  CHECK(s[0].int_arg(0) == 3);
  CHECK(s[0].line == 2);
  CHECK(s[1].op == "speed");
  CHECK(s[1].str_arg(0) == "max");
  CHECK(s[3].float_arg(1) == doctest::Approx(2.5));
  CHECK(s[4].int_arg(2) == 14);
  CHECK(s[5].args.size() == 5);
  CHECK(s[6].int_arg(1) == 5);
  CHECK(s[8].int_arg(1) == 600);
  CHECK(s[9].str_arg(0) == "after");
  CHECK(s[10].str_arg(0) == "out.png");
  CHECK(s[10].str_arg(7).empty());
  CHECK(s[2].int_arg(9, 42) == 42);
}

TEST_CASE("script: errors name the file, the line and the problem") {
  CHECK_THROWS_WITH_AS(parse_script("play\njump 3\n", "s.txt"),
                       doctest::Contains("s.txt:2: unknown action 'jump'"), Error);
  CHECK_THROWS_WITH_AS(parse_script("wait\n", "s"), doctest::Contains("takes 1 argument"), Error);
  CHECK_THROWS_WITH_AS(parse_script("wait x\n", "s"), doctest::Contains("not an integer"), Error);
  CHECK_THROWS_WITH_AS(parse_script("paint 0 a 1\n", "s"), doctest::Contains("not a number"),
                       Error);
  CHECK_THROWS_WITH_AS(parse_script("brush spray\n", "s"),
                       doctest::Contains("does not know 'spray'"), Error);
  CHECK_THROWS_WITH_AS(parse_script("train go\n", "s"), doctest::Contains("does not know 'go'"),
                       Error);
  CHECK_THROWS_WITH_AS(parse_script("speed fast\n", "s"), doctest::Contains("steps per second"),
                       Error);
  CHECK_THROWS_WITH_AS(parse_script("noise loud\n", "s"), doctest::Contains("random"), Error);
  CHECK_THROWS_WITH_AS(parse_script("view channel\n", "s"), doctest::Contains("channel number"),
                       Error);
  CHECK_THROWS_WITH_AS(parse_script("play now\n", "s"), doctest::Contains("takes 0 argument"),
                       Error);
  CHECK_THROWS_AS(load_script("/nonexistent/script.txt"), Error);
  CHECK(parse_script("", "empty").empty());
}

TEST_CASE("script: key taps and expected errors") {
  const auto s = parse_script("key ctrl+s\nkey shift+t\nexpect-error no such file\n", "k");
  REQUIRE(s.size() == 3);
  CHECK(s[0].str_arg(0) == "ctrl+s");
  CHECK(s[2].args.size() == 3);
  CHECK_THROWS_WITH_AS(parse_script("key hyper+x\n", "k"), doctest::Contains("does not know"),
                       Error);
}

namespace {
struct NoHost : ScriptHost {
  void sync_live() override {}
};
}  // namespace

TEST_CASE("script runner: commands carry their line; expected errors are used up once") {
  ScriptRunner r(parse_script("expect-error Cannot Open\n\nplay\nexpect-error never\n", "t"));
  StudioState s;
  NoHost host;
  Commands out;
  std::vector<ProbeRequest> probes;
  r.tick(s, host, out, &probes);
  const auto cmds = out.take();
  REQUIRE(cmds.size() == 1);
  CHECK(cmds[0].kind == Cmd::kSetPacing);
  CHECK(cmds[0].script_line == 3);
  CHECK(r.current_line() == 3);
  r.tick(s, host, out, &probes);
  CHECK(r.finished());
  CHECK(r.expected_error("x.safetensors: cannot open (gone)"));
  CHECK(!r.expected_error("x.safetensors: cannot open (gone)"));
  r.finish();
  REQUIRE(r.failures().size() == 1);
  CHECK(r.failures()[0].find("line 4") != std::string::npos);
}

TEST_CASE("script runner: assert compares what the studio shows, failures name the line") {
  ScriptRunner r(parse_script(
      "assert unsaved false\nassert prompt none\nassert model init seed 3\nassert train idle\n",
      "t"));
  StudioState s;
  s.model.unsaved = true;
  s.model.source = "fresh parameters (init seed 3)";
  NoHost host;
  Commands out;
  std::vector<ProbeRequest> probes;
  r.tick(s, host, out, &probes);
  CHECK(r.finished());
  REQUIRE(r.failures().size() == 1);
  CHECK(r.failures()[0] == "script line 1: unsaved is 'true', expected 'false'");
}
