// Per-user files of the studio (see user_files.h).
#include "gui/files/user_files.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace rrcnn {

std::string user_config_dir(const std::string& override_dir) {
  if (!override_dir.empty()) return override_dir;
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/rrcnn-studio";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.config/rrcnn-studio";
  return "";
}

bool ensure_dir(const std::string& dir, std::string* why) {
  if (dir.empty()) {
    if (why) *why = "no config directory (HOME is not set)";
    return false;
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    if (why) *why = "cannot create " + dir + ": " + ec.message();
    return false;
  }
  return true;
}

void RecentFiles::add(const std::string& path) {
  if (path.empty()) return;
  items_.erase(std::remove(items_.begin(), items_.end(), path), items_.end());
  items_.insert(items_.begin(), path);
  if (items_.size() > limit_) items_.resize(limit_);
}

void RecentFiles::load(const std::string& file) {
  items_.clear();
  std::ifstream in(file);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line))
    if (!line.empty()) lines.push_back(line);
  // Added oldest first so the file's order (most recent first) is kept.
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) add(*it);
}

void RecentFiles::save(const std::string& file) const {
  std::ofstream out(file, std::ios::trunc);
  for (const auto& p : items_) out << p << "\n";
}

}  // namespace rrcnn
