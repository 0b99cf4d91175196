// The flag parser every command uses (app/cli/flags.h, on CLI11): the value forms it accepts,
// the exact one-line errors it gives (the ones `rrcnn` has always printed), and the help it
// generates from the declarations.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "cli/flags.h"
#include "core/error.h"

using namespace rrcnn;

namespace {

// One of each kind, as a command declares them.
std::unique_ptr<Flags> make_flags() {
  auto f = std::make_unique<Flags>("demo", "usage: rrcnn demo [flags]", "What the demo does.");
  f->positionals("FILE [FILE..]", "inputs", 3)
      .text("out", "FILE", "where to write")
      .integer("steps", "N", "steps to run\nsecond line of help", 1, 100)
      .u64("seed", "S", "a seed")
      .number("alpha", "A", "noise level", -1.0f, 1.0f)
      .numbers("alphas", "A,B,...", "noise levels")
      .flag("quiet", "no progress");
  f->group("more")
      .choice("backend", "auto|cpu|cuda", "where to run", {"auto", "cpu", "cuda"})
      .text("horizon", "T|LO..HI", "a number or a range")
      .footer("a note at the end")
      .help_column(20);
  return f;
}

// The message of the error parsing `argv` throws (empty when it parses).
std::string error_of(const std::vector<std::string>& argv) {
  auto f = make_flags();
  try {
    f->parse(argv);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("flags: every value form, defaults, the last of a repeated flag") {
  auto f = make_flags();
  REQUIRE(f->parse({"a.bin", "--out", "x.png", "--steps=7", "--seed", "18446744073709551615", "--alpha", "-1",
                    "--alphas", "0.25,-1", "--quiet", "b.bin", "--backend", "cpu", "--horizon", "64..128"}));
  CHECK(f->str("out") == "x.png");
  CHECK(f->integer("steps", 3) == 7);
  CHECK(f->u64("seed", 0) == 18446744073709551615ull);
  CHECK(f->number("alpha", 0.5f) == -1.0f);
  CHECK(f->numbers("alphas", {}) == std::vector<float>{0.25f, -1.0f});
  CHECK(f->has("quiet"));
  CHECK(f->str("backend") == "cpu");
  CHECK(f->str("horizon") == "64..128");
  CHECK(f->positional() == std::vector<std::string>{"a.bin", "b.bin"});
  // A value may look like a flag: it is the value (as `--out --quiet` always was).
  auto g = make_flags();
  REQUIRE(g->parse({"--out", "--quiet", "--steps", "5", "--steps", "9"}));
  CHECK(g->str("out") == "--quiet");
  CHECK_FALSE(g->has("quiet"));
  CHECK(g->integer("steps", 1) == 9);  // the last one wins
  // Nothing given: the fallbacks.
  auto d = make_flags();
  REQUIRE(d->parse({}));
  CHECK_FALSE(d->has("out"));
  CHECK(d->str("out", "def") == "def");
  CHECK(d->integer("steps", 42) == 42);
  CHECK(d->number("alpha", 0.5f) == 0.5f);
  CHECK(d->numbers("alphas", {0.75f}) == std::vector<float>{0.75f});
  CHECK(d->positional().empty());
}

TEST_CASE("flags: the one-line errors, word for word") {
  CHECK(error_of({"--stpes", "3"}) == "rrcnn demo: unknown flag --stpes (see rrcnn demo --help)");
  CHECK(error_of({"--stpes=3"}) == "rrcnn demo: unknown flag --stpes (see rrcnn demo --help)");
  CHECK(error_of({"-x"}) == "rrcnn demo: unknown flag -x (see rrcnn demo --help)");
  CHECK(error_of({"--steps"}) == "rrcnn demo: --steps needs a value");
  CHECK(error_of({"--quiet=1"}) == "rrcnn demo: --quiet takes no value");
  CHECK(error_of({"a", "b", "c", "d"}) == "rrcnn demo: unexpected argument 'd'");
  CHECK(error_of({"--steps", "x"}) == "rrcnn demo: --steps 'x' is not an integer");
  CHECK(error_of({"--steps", "2.5"}) == "rrcnn demo: --steps '2.5' is not an integer");
  CHECK(error_of({"--steps", "0"}) == "rrcnn demo: --steps 0 is out of range 1..100");
  CHECK(error_of({"--seed", "-3"}) == "rrcnn demo: --seed '-3' is not a non-negative integer");
  CHECK(error_of({"--alpha", "nan"}) == "rrcnn demo: --alpha 'nan' is not a number");
  CHECK(error_of({"--alpha", "1.5"}) == "rrcnn demo: --alpha 1.5 is out of range -1..1");
  CHECK(error_of({"--alphas", "0.25,x"}) == "rrcnn demo: --alphas '0.25,x' is not a comma-separated list of numbers");
  CHECK(error_of({"--alphas", ""}) == "rrcnn demo: --alphas is empty");
  CHECK(error_of({"--backend", "metal"}) == "rrcnn demo: --backend 'metal' (choose auto, cpu or cuda)");
  // An unknown flag is named before a bad value elsewhere, whatever the order.
  CHECK(error_of({"--steps", "x", "--bogus"}) == "rrcnn demo: unknown flag --bogus (see rrcnn demo --help)");
}

TEST_CASE("flags: ranges known at run time, and flags read as numbers") {
  auto f = make_flags();
  REQUIRE(f->parse({"--steps", "50", "--horizon", "64"}));
  CHECK(f->integer("steps", 1, 1, 50) == 50);
  CHECK_THROWS_WITH_AS(f->integer("steps", 1, 1, 49), "rrcnn demo: --steps 50 is out of range 1..49", Error);
  CHECK(f->integer("horizon", 0, 1, 1000) == 64);
  auto g = make_flags();
  REQUIRE(g->parse({"--horizon", "64..128"}));
  CHECK_THROWS_WITH_AS(g->integer("horizon", 0, 1, 1000), "rrcnn demo: --horizon '64..128' is not an integer", Error);
  // Reading a flag the command never declared is a bug in the command, said loudly.
  CHECK_THROWS_WITH_AS(f->has("stpes"), doctest::Contains("never declared"), Error);
}

TEST_CASE("flags: -h/--help anywhere asks for help; the help comes from the declarations") {
  CHECK_FALSE(make_flags()->parse({"--help"}));
  CHECK_FALSE(make_flags()->parse({"--steps", "3", "-h"}));
  CHECK_FALSE(make_flags()->parse({"--steps", "x", "--help"}));  // nothing is checked then
  CHECK(make_flags()->parse({"--steps", "3"}));
  const std::string help = make_flags()->help();
  const std::string want =
      "usage: rrcnn demo [flags]\n"
      "What the demo does.\n"
      "  FILE [FILE..]     inputs\n"
      "  --out FILE        where to write\n"
      "  --steps N         steps to run\n"
      "                    second line of help\n"
      "  --seed S          a seed\n"
      "  --alpha A         noise level\n"
      "  --alphas A,B,...  noise levels\n"
      "  --quiet           no progress\n"
      "more:\n"
      "  --backend auto|cpu|cuda\n"
      "                    where to run\n"
      "  --horizon T|LO..HI\n"
      "                    a number or a range\n"
      "a note at the end\n";
  CHECK(help == want);
}
