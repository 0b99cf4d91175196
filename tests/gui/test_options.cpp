// Flags of `rrcnn gui`, the user config directory and the recent-files list.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "core/error.h"
#include "gui/options.h"
#include "gui/files/user_files.h"

using namespace rrcnn;

TEST_CASE("gui options: defaults and every flag") {
  const GuiOptions d = parse_gui_options({});
  CHECK(d.backend == "auto");
  CHECK(d.batch == 8);
  CHECK(d.frames == 0);
  CHECK(d.ckpt.empty());
  const GuiOptions o = parse_gui_options(
      {"--ckpt", "a.safetensors", "--data=dir", "--backend", "cpu",   "--batch",
       "4",      "--frames",      "120",        "--script",  "s.txt", "--screenshot",
       "o.png",  "--width",       "800",        "--height",  "600",   "--preset",
       "lite",   "--report",      "r.json"});
  CHECK(o.ckpt == "a.safetensors");
  CHECK(o.data == "dir");
  CHECK(o.backend == "cpu");
  CHECK(o.batch == 4);
  CHECK(o.frames == 120);
  CHECK(o.script == "s.txt");
  CHECK(o.screenshot == "o.png");
  CHECK(o.width == 800);
  CHECK(o.height == 600);
  CHECK(o.preset == "lite");
  CHECK(o.report == "r.json");
  CHECK(parse_gui_options({"--output-dir", "/tmp/pics"}).output_dir == "/tmp/pics");
  CHECK(d.output_dir.empty());
  CHECK(parse_gui_options({"--help"}).help);
  CHECK_FALSE(d.paused);
  CHECK(parse_gui_options({"--paused"}).paused);
}

TEST_CASE("gui options: bad flags throw with the flag's name") {
  CHECK_THROWS_WITH_AS(parse_gui_options({"--bogus"}), doctest::Contains("--bogus"), Error);
  CHECK_THROWS_WITH_AS(parse_gui_options({"--batch", "0"}), doctest::Contains("--batch"), Error);
  CHECK_THROWS_WITH_AS(parse_gui_options({"--batch", "x"}), doctest::Contains("--batch"), Error);
  CHECK_THROWS_WITH_AS(parse_gui_options({"--backend", "metal"}), doctest::Contains("metal"),
                       Error);
  CHECK_THROWS_WITH_AS(parse_gui_options({"--preset", "huge"}), doctest::Contains("huge"), Error);
  CHECK_THROWS_AS(parse_gui_options({"--frames"}), Error);
}

TEST_CASE("user config dir: override, XDG, HOME; never the current directory") {
  CHECK(user_config_dir("/x/y") == "/x/y");
  const char* old_xdg = std::getenv("XDG_CONFIG_HOME");
  const char* old_home = std::getenv("HOME");
  const std::string saved = old_xdg ? old_xdg : "", saved_home = old_home ? old_home : "";
  setenv("XDG_CONFIG_HOME", "/tmp/xdg", 1);
  CHECK(user_config_dir() == "/tmp/xdg/rrcnn-studio");
  unsetenv("XDG_CONFIG_HOME");
  setenv("HOME", "/home/u", 1);
  CHECK(user_config_dir() == "/home/u/.config/rrcnn-studio");
  if (!saved.empty()) setenv("XDG_CONFIG_HOME", saved.c_str(), 1);
  if (!saved_home.empty()) setenv("HOME", saved_home.c_str(), 1);
}

TEST_CASE("recent files: most recent first, no duplicates, limited, round trip") {
  RecentFiles r(3);
  r.add("a");
  r.add("b");
  r.add("a");
  r.add("c");
  r.add("d");
  REQUIRE(r.items().size() == 3);
  CHECK(r.items()[0] == "d");
  CHECK(r.items()[1] == "c");
  CHECK(r.items()[2] == "a");
  const std::string dir =
      (std::filesystem::temp_directory_path() / "rrcnn_gui_test_recent").string();
  REQUIRE(ensure_dir(dir));
  r.save(dir + "/recent.txt");
  RecentFiles q(3);
  q.load(dir + "/recent.txt");
  CHECK(q.items() == r.items());
  RecentFiles missing;
  missing.load(dir + "/does-not-exist.txt");
  CHECK(missing.items().empty());
  std::filesystem::remove_all(dir);
}
