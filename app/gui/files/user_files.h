// Where the studio keeps its per-user files (window layout imgui.ini, recent files) and the
// recent-files list itself. The layout never lands in the current directory: XDG_CONFIG_HOME
// (or ~/.config) / rrcnn-studio. No window code; unit-tested.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace rrcnn {

// `override_dir` when not empty, else $XDG_CONFIG_HOME/rrcnn-studio, else
// $HOME/.config/rrcnn-studio; empty when none can be determined. Does not create it.
std::string user_config_dir(const std::string& override_dir = "");

// Creates the directory (and parents). False, with the reason in *why, when it cannot.
bool ensure_dir(const std::string& dir, std::string* why = nullptr);

// Most recent first, without duplicates, at most `limit` entries.
class RecentFiles {
 public:
  explicit RecentFiles(size_t limit = 8) : limit_(limit) {}
  void add(const std::string& path);
  const std::vector<std::string>& items() const { return items_; }
  // One path per line. Missing file: empty list. Errors are ignored (it is a convenience).
  void load(const std::string& file);
  void save(const std::string& file) const;

 private:
  size_t limit_;
  std::vector<std::string> items_;
};

}  // namespace rrcnn
