// Flag parsing (see args.h).
#include "cli/args.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "core/error.h"

namespace rrcnn {

Args::Args(const std::string& command, const std::vector<std::string>& argv,
           const std::set<std::string>& valued, const std::set<std::string>& switches,
           int max_positional)
    : command_(command) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-h" || a == "--help") {
      help_ = true;
      continue;
    }
    if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
      std::string name = a.substr(2), value;
      const auto eq = name.find('=');
      const bool inline_value = eq != std::string::npos;
      if (inline_value) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      if (switches.count(name)) {
        RRCNN_CHECK(!inline_value, "rrcnn " << command_ << ": --" << name << " takes no value");
        values_[name] = "1";
      } else if (valued.count(name)) {
        if (!inline_value) {
          RRCNN_CHECK(i + 1 < argv.size(), "rrcnn " << command_ << ": --" << name << " needs a value");
          value = argv[++i];
        }
        values_[name] = value;
      } else {
        RRCNN_FAIL("rrcnn " << command_ << ": unknown flag --" << name << " (see rrcnn " << command_
                            << " --help)");
      }
      continue;
    }
    RRCNN_CHECK(a.empty() || a[0] != '-' || a == "-",
                "rrcnn " << command_ << ": unknown flag " << a << " (see rrcnn " << command_ << " --help)");
    RRCNN_CHECK(int(positional_.size()) < max_positional,
                "rrcnn " << command_ << ": unexpected argument '" << a << "'");
    positional_.push_back(a);
  }
}

std::string Args::str(const std::string& flag, const std::string& fallback) const {
  auto it = values_.find(flag);
  return it == values_.end() ? fallback : it->second;
}

int Args::integer(const std::string& flag, int fallback, int lo, int hi) const {
  if (!has(flag)) return fallback;
  const std::string s = str(flag);
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  RRCNN_CHECK(!s.empty() && end && *end == 0, "rrcnn " << command_ << ": --" << flag << " '" << s
                                                      << "' is not an integer");
  RRCNN_CHECK(v >= lo && v <= hi, "rrcnn " << command_ << ": --" << flag << " " << v
                                           << " is out of range " << lo << ".." << hi);
  return int(v);
}

uint64_t Args::u64(const std::string& flag, uint64_t fallback) const {
  if (!has(flag)) return fallback;
  const std::string s = str(flag);
  char* end = nullptr;
  const unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  RRCNN_CHECK(!s.empty() && s[0] != '-' && end && *end == 0,
              "rrcnn " << command_ << ": --" << flag << " '" << s << "' is not a non-negative integer");
  return v;
}

float Args::number(const std::string& flag, float fallback, float lo, float hi) const {
  if (!has(flag)) return fallback;
  const std::string s = str(flag);
  char* end = nullptr;
  const float v = std::strtof(s.c_str(), &end);
  RRCNN_CHECK(!s.empty() && end && *end == 0 && std::isfinite(v),
              "rrcnn " << command_ << ": --" << flag << " '" << s << "' is not a number");
  RRCNN_CHECK(v >= lo && v <= hi, "rrcnn " << command_ << ": --" << flag << " " << v
                                           << " is out of range " << lo << ".." << hi);
  return v;
}

std::vector<float> Args::numbers(const std::string& flag, const std::vector<float>& fallback) const {
  if (!has(flag)) return fallback;
  std::vector<float> out;
  std::stringstream ss(str(flag));
  std::string item;
  while (std::getline(ss, item, ',')) {
    char* end = nullptr;
    const float v = std::strtof(item.c_str(), &end);
    RRCNN_CHECK(!item.empty() && end && *end == 0 && std::isfinite(v),
                "rrcnn " << command_ << ": --" << flag << " '" << str(flag)
                         << "' is not a comma-separated list of numbers");
    out.push_back(v);
  }
  RRCNN_CHECK(!out.empty(), "rrcnn " << command_ << ": --" << flag << " is empty");
  return out;
}

}  // namespace rrcnn
