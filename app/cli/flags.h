// The flags of one command (`rrcnn train`, `rrcnn gui`, ...), declared once and parsed with
// CLI11: each declaration gives the flag's name, its value (type and range), its group and its
// help lines, so `rrcnn CMD --help` is generated from what the parser accepts.
//
// What a user sees, whatever CLI11 would have said (rrcnn::Error, printed by main):
//   rrcnn train: unknown flag --stpes (see rrcnn train --help)
//   rrcnn train: --steps needs a value          rrcnn train: --quiet takes no value
//   rrcnn info: unexpected argument 'b.safetensors'
//   rrcnn train: --steps 'x' is not an integer  rrcnn train: --batch 0 is out of range 1..4096
// Values are checked while parsing, before any work. Both `--name value` and `--name=value`
// work; a value may start with '-' (--alpha -1). A flag given twice keeps its last value, so
// flags inserted ahead of the user's (e.g. expanded from a file) are overridden by them.
// -h or --help anywhere asks for the help instead of checking anything.
//
// CLI11 stays inside flags.cpp: its header is large, and only this file needs it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace rrcnn {

class Flags {
 public:
  // `command` names the command in messages ("train" -> "rrcnn train: ..."); `usage` is the
  // help's first line, `description` the lines under it (may be empty).
  Flags(const std::string& command, const std::string& usage, const std::string& description = "");
  ~Flags();
  Flags(const Flags&) = delete;
  Flags& operator=(const Flags&) = delete;

  // ---- declarations, listed by --help in this order, under the latest group()'s heading.
  // `value` names the value in the help (N, FILE, A,B,...); `help` may hold several lines.
  Flags& group(const std::string& heading);
  Flags& text(const std::string& name, const std::string& value, const std::string& help);
  Flags& integer(const std::string& name, const std::string& value, const std::string& help, int lo, int hi);
  Flags& u64(const std::string& name, const std::string& value, const std::string& help);  // >= 0
  Flags& number(const std::string& name, const std::string& value, const std::string& help, float lo, float hi);
  // A comma-separated list of numbers (--alphas 0.25,0.5,-1).
  Flags& numbers(const std::string& name, const std::string& value, const std::string& help);
  // One of `choices` (--backend auto|cpu|cuda).
  Flags& choice(const std::string& name, const std::string& value, const std::string& help,
                const std::vector<std::string>& choices);
  Flags& flag(const std::string& name, const std::string& help);  // a switch, no value
  // Up to `max` words that are not flags (rrcnn eval A B C); none are accepted without this.
  Flags& positionals(const std::string& value, const std::string& help, int max);
  Flags& footer(const std::string& text);  // lines after the flags
  Flags& help_column(int width);           // where help lines start (default 25)

  // ---- parsing: the words after the command. False when -h/--help was given (print help()).
  bool parse(const std::vector<std::string>& argv);
  std::string help() const;
  const std::string& command() const { return command_; }

  // ---- reading. Every name must have been declared (a typo in the code fails loudly).
  bool has(const std::string& name) const;
  std::string str(const std::string& name, const std::string& fallback = "") const;
  int integer(const std::string& name, int fallback) const;
  uint64_t u64(const std::string& name, uint64_t fallback) const;
  float number(const std::string& name, float fallback) const;
  std::vector<float> numbers(const std::string& name, const std::vector<float>& fallback) const;
  // The same with a range known only at run time (0..the digits there are); also reads a
  // text() flag as a number where its meaning depends on other flags (train --horizon).
  int integer(const std::string& name, int fallback, int lo, int hi) const;
  float number(const std::string& name, float fallback, float lo, float hi) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  enum class Kind { kText, kInteger, kU64, kNumber, kNumbers, kChoice, kFlag };
  struct Decl {
    explicit Decl(Kind k = Kind::kText, double l = 0, double h = 0) : kind(k), lo(l), hi(h) {}
    Kind kind;
    double lo, hi;  // kInteger, kNumber
    std::vector<std::string> choices;
    CLI::Option* option = nullptr;
  };
  Flags& declare(const std::string& name, const std::string& value, const std::string& help, Decl decl);
  const Decl& decl(const std::string& name) const;
  // Throws the one-line error for a value of `name` that `d` does not accept.
  void check_value(const std::string& name, const Decl& d, const std::string& value) const;
  [[noreturn]] void fail_unknown(const std::vector<std::string>& left) const;

  std::string command_, group_;
  std::unique_ptr<CLI::App> app_;
  std::map<std::string, Decl> decls_;
  CLI::Option* positional_option_ = nullptr;
  std::vector<std::string> positional_;
  int positional_max_ = 0;
  int help_column_ = 25;
};

}  // namespace rrcnn
