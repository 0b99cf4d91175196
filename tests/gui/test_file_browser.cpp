// Output folders (XDG), time-stamped names that never replace a file, typed paths, and the file
// browser's listing, navigation and OK rules.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "gui/files/file_browser.h"
#include "gui/files/output_paths.h"

using namespace rrcnn;
namespace fs = std::filesystem;

namespace {

std::string fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("rrcnn_gui_browser_" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d.string();
}

void touch(const std::string& path, const std::string& text = "x") {
  std::ofstream(path) << text;
}

}  // namespace

TEST_CASE("output folders follow XDG, never the working directory") {
  OutputEnv e;
  e.home = "/home/ada";
  OutputDirs d = output_dirs(e);
  CHECK(d.pictures == "/home/ada/Pictures/rrcnn-studio");
  CHECK(d.data == "/home/ada/.local/share/rrcnn-studio");
  e.xdg_data_home = "/data/ada";
  e.xdg_pictures_dir = "/media/pics";
  d = output_dirs(e);
  CHECK(d.pictures == "/media/pics/rrcnn-studio");
  CHECK(d.data == "/data/ada/rrcnn-studio");
  d = output_dirs(e, "/tmp/out");
  CHECK(d.pictures == "/tmp/out");
  CHECK(d.data == "/tmp/out");
  CHECK(output_dirs(OutputEnv{}).pictures.empty());

  // user-dirs.dirs in the config home names the pictures folder.
  const std::string cfg = fresh_dir("cfg");
  touch(cfg + "/user-dirs.dirs",
        "# comment\nXDG_DESKTOP_DIR=\"$HOME/Desktop\"\nXDG_PICTURES_DIR=\"$HOME/Bilder\"\n");
  OutputEnv e2;
  e2.home = "/home/bo";
  e2.xdg_config_home = cfg;
  CHECK(output_dirs(e2).pictures == "/home/bo/Bilder/rrcnn-studio");
  CHECK(parse_user_dirs("XDG_PICTURES_DIR=\"$HOME/\"\n", "XDG_PICTURES_DIR", "/h") == "/h/");
  touch(cfg + "/user-dirs.dirs", "XDG_PICTURES_DIR=\"$HOME/\"\n");  // disabled: not home itself
  CHECK(output_dirs(e2).pictures == "/home/bo/Pictures/rrcnn-studio");
  CHECK(parse_user_dirs("", "XDG_PICTURES_DIR", "/h").empty());
}

TEST_CASE("time-stamped names; an existing file is never chosen") {
  std::tm tm{};
  tm.tm_year = 124;
  tm.tm_mon = 4;
  tm.tm_mday = 1;
  tm.tm_hour = 13;
  tm.tm_min = 45;
  tm.tm_sec = 2;
  tm.tm_isdst = -1;
  CHECK(timestamped_name("rrcnn-screenshot", ".png", std::mktime(&tm)) ==
        "rrcnn-screenshot-2024-05-01-134502.png");
  const std::string d = fresh_dir("unused");
  CHECK(unused_path(d, "a.png") == d + "/a.png");
  touch(d + "/a.png");
  CHECK(unused_path(d, "a.png") == d + "/a-2.png");
  touch(d + "/a-2.png");
  CHECK(unused_path(d, "a.png") == d + "/a-3.png");
}

TEST_CASE("typed paths become absolute; extensions; inside") {
  CHECK(absolute_output_path("model", "/out", "/home/x") == "/out/model");
  CHECK(absolute_output_path("  ~/m.safetensors ", "/out", "/home/x") == "/home/x/m.safetensors");
  CHECK(absolute_output_path("/a/b/../c", "/out", "/home/x") == "/a/c");
  CHECK(absolute_output_path("", "/out", "/home/x").empty());
  CHECK(with_extension("/a/m", ".safetensors") == "/a/m.safetensors");
  CHECK(with_extension("/a/m.SafeTensors", ".safetensors") == "/a/m.SafeTensors");
  CHECK(path_inside("/repo/assets/rrcnn-seed.safetensors", "/repo/assets"));
  CHECK(path_inside("/repo/assets/x/../y.safetensors", "/repo/assets/"));
  CHECK(!path_inside("/repo/assets2/y.safetensors", "/repo/assets"));
  CHECK(!path_inside("/repo/y.safetensors", "/repo/assets"));
  CHECK(display_path("/home/x/Pictures/r", "/home/x") == "~/Pictures/r");
  CHECK(display_path("/homes/x", "/home") == "/homes/x");
}

TEST_CASE("file browser: folders first, filtered files, navigation") {
  const std::string d = fresh_dir("list");
  fs::create_directories(d + "/runs");
  fs::create_directories(d + "/.hidden");
  touch(d + "/b.safetensors");
  touch(d + "/A.safetensors");
  touch(d + "/notes.txt");
  touch(d + "/train-images-idx3-ubyte.gz");
  FileBrowser b;
  b.open(BrowsePurpose::kLoadCheckpoint, "Open", d, "", {".safetensors"});
  REQUIRE(b.is_open());
  REQUIRE(b.entries().size() == 3);
  CHECK(b.entries()[0].name == "runs");
  CHECK(b.entries()[0].is_dir);
  CHECK(b.entries()[1].name == "A.safetensors");
  CHECK(b.entries()[2].name == "b.safetensors");
  b.set_show_all(true);
  CHECK(b.entries().size() == 5);
  b.set_show_all(false);
  b.enter("runs");
  CHECK(b.dir() == d + "/runs");
  CHECK(b.entries().empty());
  b.up();
  CHECK(b.dir() == d);
  CHECK(!b.go(d + "/nope"));
  CHECK(b.list_error().find("not a folder") != std::string::npos);
  CHECK(b.dir() == d);
  FileBrowser data;
  data.open(BrowsePurpose::kOpenData, "Digits", d, "", {});
  CHECK(data.entries().size() == 5);  // no filter: IDX files have no extension of their own
  // A folder that does not exist yet opens at its nearest existing parent.
  FileBrowser s;
  s.open(BrowsePurpose::kScreenshot, "Save", d + "/new/deeper", "x.png", {".png"});
  CHECK(s.dir() == d);
}

TEST_CASE("file browser: what OK means") {
  const std::string d = fresh_dir("ok");
  touch(d + "/old.safetensors");
  FileBrowser b;
  b.open(BrowsePurpose::kSaveCheckpoint, "Save", d, "new", {".safetensors"});
  BrowserChoice c = b.choose();
  CHECK(c.kind == BrowserChoice::kChosen);
  CHECK(c.path == d + "/new.safetensors");
  b.file_name = "old";
  c = b.choose();
  CHECK(c.kind == BrowserChoice::kConfirmReplace);
  CHECK(c.message.find("old.safetensors already exists") != std::string::npos);
  CHECK(b.confirm_replace().kind == BrowserChoice::kChosen);
  b.file_name = "";
  CHECK(b.choose().kind == BrowserChoice::kProblem);
  fs::create_directories(d + "/sub");
  b.file_name = "sub";
  b.open(BrowsePurpose::kExportLoss, "CSV", d, "sub", {});
  CHECK(b.choose().kind == BrowserChoice::kProblem);

  FileBrowser o;
  o.open(BrowsePurpose::kLoadCheckpoint, "Open", d, "missing.safetensors", {".safetensors"});
  c = o.choose();
  CHECK(c.kind == BrowserChoice::kProblem);
  CHECK(c.message.find("does not exist") != std::string::npos);
  o.file_name = "sub";
  CHECK(o.choose().kind == BrowserChoice::kProblem);
  o.select(BrowserEntry{"old.safetensors", false, 1, 0});
  c = o.choose();
  CHECK(c.kind == BrowserChoice::kChosen);
  CHECK(c.path == d + "/old.safetensors");

  FileBrowser data;
  data.open(BrowsePurpose::kOpenData, "Digits", d, "", {});
  c = data.choose();  // nothing picked: this folder
  CHECK(c.kind == BrowserChoice::kChosen);
  CHECK(c.path == d);
  data.select(BrowserEntry{"sub", true, 0, 0});
  CHECK(data.choose().path == d + "/sub");
  CHECK(format_size(999) == "999 B");
  CHECK(format_size(12345) == "12.3 kB");
}

TEST_CASE("shell quoting for the command lines Help shows") {
  CHECK(shell_quote("/home/a/model.safetensors") == "/home/a/model.safetensors");
  CHECK(shell_quote("/home/a/my models/m.safetensors") == "'/home/a/my models/m.safetensors'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("") == "''");
  CHECK(shell_quote("$HOME") == "'$HOME'");
}
