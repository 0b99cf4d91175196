// Flag parsing for the subcommands: `--name value` or `--name=value`, boolean switches, and
// a one-line error naming the command and the bad flag.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace rrcnn {

class Args {
 public:
  // `valued` flags take a value, `switches` do not. Throws on unknown or malformed flags.
  Args(const std::string& command, const std::vector<std::string>& argv,
       const std::set<std::string>& valued, const std::set<std::string>& switches,
       int max_positional = 0);

  bool has(const std::string& flag) const { return values_.count(flag) > 0; }
  std::string str(const std::string& flag, const std::string& fallback = "") const;
  int integer(const std::string& flag, int fallback, int lo, int hi) const;
  uint64_t u64(const std::string& flag, uint64_t fallback) const;
  float number(const std::string& flag, float fallback, float lo, float hi) const;
  std::vector<float> numbers(const std::string& flag, const std::vector<float>& fallback) const;
  const std::vector<std::string>& positional() const { return positional_; }
  bool help() const { return help_; }

 private:
  std::string command_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
  bool help_ = false;
};

}  // namespace rrcnn
