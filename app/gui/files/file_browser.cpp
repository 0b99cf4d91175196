// File browser rules (see file_browser.h).
#include "gui/files/file_browser.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "gui/files/output_paths.h"

namespace fs = std::filesystem;

namespace rrcnn {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool ends_with_ci(const std::string& s, const std::string& tail) {
  const std::string a = lower(s), b = lower(tail);
  return a.size() >= b.size() && a.compare(a.size() - b.size(), b.size(), b) == 0;
}

std::time_t to_time_t(fs::file_time_type t) {
  // file_time_type's clock is not system_clock in C++17; convert through "now" on both.
  const auto sys = std::chrono::system_clock::now() +
                   std::chrono::duration_cast<std::chrono::system_clock::duration>(
                       t - fs::file_time_type::clock::now());
  return std::chrono::system_clock::to_time_t(sys);
}

std::string home() {
  const char* h = std::getenv("HOME");
  return h && *h ? h : "/";
}

bool is_dir(const std::string& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

}  // namespace

std::string format_size(uintmax_t bytes) {
  char buf[32];
  if (bytes < 1000)
    std::snprintf(buf, sizeof buf, "%ju B", bytes);
  else if (bytes < 1000 * 1000)
    std::snprintf(buf, sizeof buf, "%.1f kB", double(bytes) / 1e3);
  else if (bytes < 1000ull * 1000 * 1000)
    std::snprintf(buf, sizeof buf, "%.1f MB", double(bytes) / 1e6);
  else
    std::snprintf(buf, sizeof buf, "%.1f GB", double(bytes) / 1e9);
  return buf;
}

void FileBrowser::open(BrowsePurpose purpose, const std::string& title, const std::string& dir,
                       const std::string& name, const std::vector<std::string>& extensions) {
  purpose_ = purpose;
  title_ = title;
  extensions_ = extensions;
  file_name = name;
  show_all_ = false;
  open_ = true;
  // The nearest existing folder: a save folder that does not exist yet is created on save.
  fs::path d = dir.empty() ? fs::path(home()) : fs::path(dir);
  while (!d.empty() && !is_dir(d.string()) && d != d.root_path()) d = d.parent_path();
  dir_ = is_dir(d.string()) ? d.string() : home();
  refresh();
}

bool FileBrowser::matches(const std::string& name) const {
  if (show_all_ || extensions_.empty()) return true;
  for (const std::string& e : extensions_)
    if (ends_with_ci(name, e)) return true;
  // IDX files have no extension of their own: "…-idx3-ubyte", optionally ".gz".
  return purpose_ == BrowsePurpose::kOpenData &&
         (ends_with_ci(name, "-ubyte") || ends_with_ci(name, "-ubyte.gz"));
}

void FileBrowser::refresh() {
  entries_.clear();
  list_error_.clear();
  std::error_code ec;
  fs::directory_iterator it(dir_, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    list_error_ = "cannot read the folder " + dir_;
    return;
  }
  for (const fs::directory_entry& de : it) {
    BrowserEntry e;
    e.name = de.path().filename().string();
    if (e.name.empty() || e.name[0] == '.') continue;  // hidden files
    std::error_code ec2;
    e.is_dir = de.is_directory(ec2);
    if (!e.is_dir) {
      if (!de.is_regular_file(ec2) || !matches(e.name)) continue;
      e.size = de.file_size(ec2);
    }
    e.modified = to_time_t(de.last_write_time(ec2));
    entries_.push_back(e);
  }
  std::sort(entries_.begin(), entries_.end(), [](const BrowserEntry& a, const BrowserEntry& b) {
    if (a.is_dir != b.is_dir) return a.is_dir;
    return lower(a.name) < lower(b.name);
  });
}

void FileBrowser::enter(const std::string& name) {
  go((fs::path(dir_) / name).string());
}

void FileBrowser::up() {
  const fs::path p = fs::path(dir_).parent_path();
  if (!p.empty() && p != fs::path(dir_)) go(p.string());
}

bool FileBrowser::go(const std::string& dir) {
  const std::string d = absolute_output_path(dir, dir_, home());
  if (!is_dir(d)) {
    list_error_ = d + " is not a folder";
    return false;
  }
  dir_ = d;
  refresh();
  return true;
}

void FileBrowser::set_show_all(bool all) {
  show_all_ = all;
  refresh();
}

void FileBrowser::select(const BrowserEntry& e) {
  if (!e.is_dir || purpose_ == BrowsePurpose::kOpenData) file_name = e.name;
}

BrowserChoice FileBrowser::choose() const {
  BrowserChoice c;
  if (file_name.empty()) {
    if (purpose_ == BrowsePurpose::kOpenData) {  // "use this folder"
      c.kind = BrowserChoice::kChosen;
      c.path = dir_;
      return c;
    }
    c.kind = BrowserChoice::kProblem;
    c.message = saving() ? "type a file name" : "pick a file";
    return c;
  }
  std::string path = absolute_output_path(file_name, dir_, home());
  if (saving()) {
    if (!extensions_.empty()) {
      bool has = false;
      for (const std::string& e : extensions_) has |= ends_with_ci(path, e);
      if (!has) path += extensions_.front();
    }
    if (is_dir(path)) {
      c.kind = BrowserChoice::kProblem;
      c.message = path + " is a folder; type a file name";
      return c;
    }
    const std::string parent = fs::path(path).parent_path().string();
    if (is_dir(parent) && access(parent.c_str(), W_OK) != 0) {
      c.kind = BrowserChoice::kProblem;
      c.message = "cannot write in " + parent + " (no permission)";
      return c;
    }
    c.path = path;
    if (path_exists(path)) {
      c.kind = BrowserChoice::kConfirmReplace;
      c.message = fs::path(path).filename().string() + " already exists. Replace it?";
      return c;
    }
    c.kind = BrowserChoice::kChosen;
    return c;
  }
  c.path = path;
  if (!path_exists(path)) {
    c.kind = BrowserChoice::kProblem;
    c.message = fs::path(path).filename().string() + " does not exist";
  } else if (is_dir(path) && purpose_ != BrowsePurpose::kOpenData) {
    c.kind = BrowserChoice::kProblem;
    c.message = fs::path(path).filename().string() + " is a folder; pick a file";
  } else if (access(path.c_str(), R_OK) != 0) {
    c.kind = BrowserChoice::kProblem;
    c.message = "cannot read " + path + " (no permission)";
  } else {
    c.kind = BrowserChoice::kChosen;
  }
  return c;
}

BrowserChoice FileBrowser::confirm_replace() const {
  BrowserChoice c = choose();
  if (c.kind == BrowserChoice::kConfirmReplace) c.kind = BrowserChoice::kChosen;
  return c;
}

}  // namespace rrcnn
