// Output folders and names (see output_paths.h).
#include "gui/files/output_paths.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace rrcnn {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

OutputEnv output_env_from_process() {
  OutputEnv e;
  e.home = env("HOME");
  e.xdg_data_home = env("XDG_DATA_HOME");
  e.xdg_config_home = env("XDG_CONFIG_HOME");
  e.xdg_pictures_dir = env("XDG_PICTURES_DIR");
  return e;
}

std::string parse_user_dirs(const std::string& text, const std::string& key,
                            const std::string& home) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    if (line.compare(start, key.size() + 1, key + "=") != 0) continue;
    std::string v = line.substr(start + key.size() + 1);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    if (v.rfind("$HOME", 0) == 0) v = home + v.substr(5);
    return v;
  }
  return "";
}

OutputDirs output_dirs(const OutputEnv& e, const std::string& override_dir) {
  OutputDirs d;
  if (!override_dir.empty()) {
    d.pictures = d.data = absolute_output_path(override_dir, fs::current_path().string(), e.home);
    return d;
  }
  std::string pictures = e.xdg_pictures_dir;
  if (pictures.empty()) {
    const std::string config =
        !e.xdg_config_home.empty() ? e.xdg_config_home : (e.home.empty() ? "" : e.home + "/.config");
    if (!config.empty())
      pictures = parse_user_dirs(read_text(config + "/user-dirs.dirs"), "XDG_PICTURES_DIR", e.home);
  }
  // user-dirs.dirs sets a folder to $HOME/ to disable it; never write straight into home.
  if (!pictures.empty() && !e.home.empty() &&
      fs::path(pictures).lexically_normal() == fs::path(e.home + "/").lexically_normal())
    pictures.clear();
  if (pictures.empty() && !e.home.empty()) pictures = e.home + "/Pictures";
  const std::string data = !e.xdg_data_home.empty()
                               ? e.xdg_data_home
                               : (e.home.empty() ? "" : e.home + "/.local/share");
  if (!pictures.empty()) d.pictures = pictures + "/rrcnn-studio";
  if (!data.empty()) d.data = data + "/rrcnn-studio";
  return d;
}

std::string timestamped_name(const std::string& prefix, const std::string& ext, std::time_t t) {
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d-%H%M%S", &tm);
  return prefix + "-" + buf + ext;
}

std::string unused_path(const std::string& dir, const std::string& name) {
  const fs::path base = fs::path(dir) / name;
  if (!path_exists(base.string())) return base.string();
  const std::string stem = base.stem().string(), ext = base.extension().string();
  for (int i = 2;; ++i) {
    const fs::path p = fs::path(dir) / (stem + "-" + std::to_string(i) + ext);
    if (!path_exists(p.string())) return p.string();
  }
}

std::string absolute_output_path(const std::string& typed, const std::string& base_dir,
                                 const std::string& home) {
  std::string t = typed;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.erase(t.begin());
  if (t.empty()) return "";
  if (!home.empty() && (t == "~" || t.rfind("~/", 0) == 0)) t = home + t.substr(1);
  fs::path p(t);
  if (p.is_relative()) p = fs::path(base_dir) / p;
  return p.lexically_normal().string();
}

std::string with_extension(const std::string& path, const std::string& ext) {
  if (path.empty()) return path;
  const std::string l = lower(path), e = lower(ext);
  if (l.size() >= e.size() && l.compare(l.size() - e.size(), e.size(), e) == 0) return path;
  return path + ext;
}

bool path_exists(const std::string& path) {
  std::error_code ec;
  return fs::symlink_status(path, ec).type() != fs::file_type::not_found && !ec;
}

bool path_inside(const std::string& path, const std::string& dir) {
  if (path.empty() || dir.empty()) return false;
  std::error_code ec;
  const fs::path p = fs::absolute(path, ec).lexically_normal();
  const fs::path d = fs::absolute(dir, ec).lexically_normal();
  auto pi = p.begin();
  for (auto di = d.begin(); di != d.end(); ++di, ++pi) {
    if (di->empty()) continue;  // trailing separator
    if (pi == p.end() || *pi != *di) return false;
  }
  return true;
}

std::string display_path(const std::string& path, const std::string& home) {
  if (home.empty() || home == "/") return path;
  if (path == home) return "~";
  if (path.rfind(home + "/", 0) == 0) return "~" + path.substr(home.size());
  return path;
}

std::string shell_quote(const std::string& word) {
  if (word.empty()) return "''";
  bool plain = true;
  for (char c : word)
    plain = plain && (std::isalnum(static_cast<unsigned char>(c)) ||
                      std::string("/._-+=:,@%").find(c) != std::string::npos);
  if (plain) return word;
  std::string q = "'";
  for (char c : word) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace rrcnn
