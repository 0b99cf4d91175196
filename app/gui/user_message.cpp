// Plain error sentences (see user_message.h).
#include "gui/user_message.h"

#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <regex>
#include <vector>

#include "core/error.h"

namespace fs = std::filesystem;

namespace rrcnn {
namespace {

struct Rule {
  std::regex pattern;
  std::string replacement;  // std::regex_replace format ($1 ...)
};

// Known messages whose details mean nothing to a user, from the file readers in core/.
const std::vector<Rule>& rules() {
  static const std::vector<Rule> r = {
      {std::regex(R"(^(.*): not a safetensors file or truncated \(header length .*\)$)"),
       "$1 is not a checkpoint, or it is truncated."},
      {std::regex(R"(^(.*): too short to be a safetensors file.*$)"),
       "$1 is too short to be a checkpoint."},
      {std::regex(R"(^(.*): tensor '([^']*)' data \[.*\) is outside the file's .*$)"),
       "$1 is truncated (tensor '$2' is cut off)."},
      {std::regex(R"(^(.*): header is not a JSON object$)"), "$1 is not a checkpoint."},
      {std::regex(R"(^(.*): metadata '.*' missing \(not an rrcnn checkpoint\?\)$)"),
       "$1 is not an RRCNN checkpoint."},
      {std::regex(R"(^(.*): not an IDX file \(bad magic number .*\)$)"), "$1 is not an IDX file."},
      {std::regex(R"(^(.*): too short to be an IDX file.*$)"), "$1 is too short to be an IDX file."},
      {std::regex(R"(^(.*): truncated: header promises .*$)"), "$1 is truncated."},
      {std::regex(R"(^(.*): has trailing data: header promises .*$)"),
       "$1 has extra bytes after its data (a damaged file?)."},
      {std::regex(R"(^(.*): dimension [0-9]+ has size [0-9]+$)"),
       "$1 has an impossible size in its header (a damaged file?)."},
      {std::regex(R"(^(.*): cannot open \(No such file or directory\)$)"), "$1: no such file."},
      {std::regex(R"(^(.*): cannot open \(Permission denied\)$)"),
       "$1 cannot be read (permission denied)."},
      {std::regex(R"(^(.*): cannot open \(Is a directory\)$)"), "$1 is a folder, not a file."},
  };
  return r;
}

// Text that comes from the C++ library rather than from us: never shown as it is.
bool library_text(const std::string& s) {
  static const std::regex lib(
      R"(basic_filebuf|basic_ios|basic_string|std::|vector::|_M_|bad_alloc|bad_array|stoi|stoll|stof|iostream error)");
  return std::regex_search(s, lib);
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.pop_back();
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\n')) ++i;
  return s.substr(i);
}

}  // namespace

UserMessage to_user_message(const std::string& raw) {
  UserMessage m;
  m.detail = raw;
  // Source locations, anywhere in the text: "[core/safetensors.cpp:72]".
  static const std::regex tag(R"( ?\[[A-Za-z0-9_./-]+\.(cpp|h|hpp|cu|cuh):[0-9]+\])");
  std::string s = trim(std::regex_replace(raw, tag, ""));
  if (s.empty()) s = "the action failed";
  if (library_text(s)) {
    m.text = "The action failed inside the program (details below and in the log).";
    return m;
  }
  for (const Rule& r : rules())
    if (std::regex_match(s, r.pattern)) {
      m.text = std::regex_replace(s, r.pattern, r.replacement);
      return m;
    }
  if (s.back() != '.' && s.back() != '?' && s.back() != '!') s += '.';
  m.text = s;
  return m;
}

void check_readable_file(const std::string& path, const std::string& what) {
  RRCNN_CHECK(!path.empty(), "no " << what << " file given");
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  RRCNN_CHECK(st.type() != fs::file_type::not_found, path << ": no such file.");
  RRCNN_CHECK(st.type() != fs::file_type::directory,
              path << " is a folder; choose a " << what << " file.");
  RRCNN_CHECK(access(path.c_str(), R_OK) == 0, path << " cannot be read (permission denied).");
  RRCNN_CHECK(fs::file_size(path, ec) > 0 || ec, path << " is empty, not a " << what << ".");
}

void append_log(const std::string& log_path, const std::string& text) {
  if (log_path.empty()) return;
  std::error_code ec;
  fs::create_directories(fs::path(log_path).parent_path(), ec);
  std::ofstream out(log_path, std::ios::app);
  char when[32];
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
  out << when << "  " << text << "\n";
}

}  // namespace rrcnn
