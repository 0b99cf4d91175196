// A command's flags on CLI11 (see flags.h).
#include "cli/flags.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <utility>

#include "core/error.h"

namespace rrcnn {
namespace {

// The help of one command: our usage line, the description, then each group under its heading
// (the first, untitled one straight under the usage), and the footer. CLI11's own layout puts
// "Usage:" under the description and an "OPTIONS" badge in it; ours reads like the usage
// lines of the top-level help.
class HelpFormatter : public CLI::Formatter {
 public:
  explicit HelpFormatter(std::string usage) : usage_(std::move(usage)) {}

  std::string make_help(const CLI::App* app, std::string, CLI::AppFormatMode) const override {
    std::ostringstream out;
    out << usage_ << "\n";
    if (!app->get_description().empty()) out << app->get_description() << "\n";
    const auto positionals = app->get_options([](const CLI::Option* o) { return o->get_positional(); });
    for (const CLI::Option* o : positionals) out << make_option(o, true);
    for (const std::string& group : app->get_groups()) {
      if (group.empty()) continue;  // hidden: the help flag itself
      const auto opts = app->get_options([&](const CLI::Option* o) {
        return o->get_group() == group && o->nonpositional() && o != app->get_help_ptr();
      });
      if (opts.empty()) continue;
      if (group != kUntitled) out << group << ":\n";
      for (const CLI::Option* o : opts) out << make_option(o, false);
    }
    if (!app->get_footer().empty()) out << app->get_footer() << "\n";
    return out.str();
  }

  std::string make_option_opts(const CLI::Option* o) const override {
    // The value's name as declared (N, FILE); positionals are named by it alone.
    return o->get_positional() || o->get_option_text().empty() ? "" : " " + o->get_option_text();
  }
  std::string make_option_name(const CLI::Option* o, bool positional) const override {
    return positional ? o->get_option_text() : o->get_name(false, true);
  }

  static constexpr const char* kUntitled = "\x01";  // the flags listed right under the usage

 private:
  std::string usage_;
};

// Strict conversions: the whole word must be the number (CLI11's own would take 0x10 or 1e3
// as integers); what is wrong is said in the words the commands have always used.
bool parse_int64(const std::string& s, long long* v) {
  char* end = nullptr;
  errno = 0;
  *v = std::strtoll(s.c_str(), &end, 10);
  return !s.empty() && end && *end == 0 && errno == 0;
}

bool parse_float(const std::string& s, float* v) {
  char* end = nullptr;
  *v = std::strtof(s.c_str(), &end);
  return !s.empty() && end && *end == 0 && std::isfinite(*v);
}

std::string or_list(const std::vector<std::string>& items) {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i)
    s += (i == 0 ? "" : i + 1 == items.size() ? " or " : ", ") + items[i];
  return s;
}

// The flag a CLI11 message starts with, without dashes: "--steps: 1 required TEXT missing",
// "quiet was given a disallowed flag override".
std::string leading_flag(const std::string& message) {
  const size_t start = message.find_first_not_of('-');
  if (start == std::string::npos) return "";
  return message.substr(start, message.find_first_of(": ", start) - start);
}

}  // namespace

Flags::Flags(const std::string& command, const std::string& usage, const std::string& description)
    : command_(command), group_(HelpFormatter::kUntitled), app_(std::make_unique<CLI::App>(description, "rrcnn " + command)) {
  app_->formatter(std::make_shared<HelpFormatter>(usage));
  // Unknown words are collected and reported in our words after parsing (fail_unknown).
  app_->allow_extras(true);
  app_->set_help_flag("-h,--help", "this help")->group("");
}

Flags::~Flags() = default;

Flags& Flags::group(const std::string& heading) {
  // An empty heading would hide the flags from --help (CLI11's convention); CLI11 also refuses
  // a heading of several lines.
  RRCNN_CHECK(!heading.empty() && heading.find('\n') == std::string::npos,
              "internal: rrcnn " << command_ << ": a flag group needs a one-line heading");
  group_ = heading;
  return *this;
}

Flags& Flags::declare(const std::string& name, const std::string& value, const std::string& help, Decl d) {
  CLI::Option* o = d.kind == Kind::kFlag ? app_->add_flag("--" + name, help) : app_->add_option("--" + name, help);
  o->group(group_);
  if (d.kind == Kind::kFlag) {
    o->disable_flag_override();  // --quiet=no is an error, not "quiet"
  } else {
    o->option_text(value);
    o->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    if (d.kind != Kind::kText) {
      // Checked while parsing; the error is thrown as our line, not CLI11's "NAME: ..." form.
      o->check(CLI::Validator(
          [this, name](std::string& v) {
            check_value(name, decls_.at(name), v);
            return std::string();
          },
          ""));
    }
  }
  d.option = o;
  decls_[name] = std::move(d);
  return *this;
}

Flags& Flags::text(const std::string& name, const std::string& value, const std::string& help) {
  return declare(name, value, help, Decl{Kind::kText});
}

Flags& Flags::integer(const std::string& name, const std::string& value, const std::string& help, int lo, int hi) {
  return declare(name, value, help, Decl{Kind::kInteger, double(lo), double(hi)});
}

Flags& Flags::u64(const std::string& name, const std::string& value, const std::string& help) {
  return declare(name, value, help, Decl{Kind::kU64});
}

Flags& Flags::number(const std::string& name, const std::string& value, const std::string& help, float lo,
                     float hi) {
  return declare(name, value, help, Decl{Kind::kNumber, lo, hi});
}

Flags& Flags::numbers(const std::string& name, const std::string& value, const std::string& help) {
  return declare(name, value, help, Decl{Kind::kNumbers});
}

Flags& Flags::choice(const std::string& name, const std::string& value, const std::string& help,
                     const std::vector<std::string>& choices) {
  Decl d{Kind::kChoice};
  d.choices = choices;
  return declare(name, value, help, std::move(d));
}

Flags& Flags::flag(const std::string& name, const std::string& help) {
  return declare(name, "", help, Decl{Kind::kFlag});
}

Flags& Flags::positionals(const std::string& value, const std::string& help, int max) {
  positional_option_ = app_->add_option("positional", help);
  // Any number is collected; more than `max` is reported after parsing, in our words.
  positional_option_->expected(0, -1)->allow_extra_args()->option_text(value)->group(group_);
  positional_max_ = max;
  return *this;
}

Flags& Flags::footer(const std::string& text) {
  app_->footer(text);
  return *this;
}

Flags& Flags::help_column(int width) {
  help_column_ = width;
  return *this;
}

std::string Flags::help() const {
  // The column is set here so a command may declare it after its flags.
  app_->get_formatter()->column_width(size_t(help_column_));
  return app_->help();
}

bool Flags::parse(const std::vector<std::string>& argv) {
  std::vector<std::string> reversed(argv.rbegin(), argv.rend());  // CLI11 takes them last first
  const auto asked_help = [&] { return app_->get_help_ptr()->count() > 0; };
  try {
    app_->parse(reversed);
  } catch (const CLI::CallForHelp&) {
    return false;
  } catch (const CLI::ParseError& e) {
    if (asked_help()) return false;
    if (!app_->remaining().empty()) fail_unknown(app_->remaining());
    const std::string flag = leading_flag(e.what());
    const auto it = decls_.find(flag);
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) && it != decls_.end()) {
      if (it->second.kind == Kind::kFlag) RRCNN_FAIL("rrcnn " << command_ << ": --" << flag << " takes no value");
      RRCNN_FAIL("rrcnn " << command_ << ": --" << flag << " needs a value");
    }
    RRCNN_FAIL("rrcnn " << command_ << ": " << e.what() << " (see rrcnn " << command_ << " --help)");
  } catch (const Error&) {
    // A value a declaration refused; unknown flags and --help still come first.
    if (asked_help()) return false;
    if (!app_->remaining().empty()) fail_unknown(app_->remaining());
    throw;
  }
  if (asked_help()) return false;
  if (!app_->remaining().empty()) fail_unknown(app_->remaining());
  if (positional_option_) positional_ = positional_option_->results();
  RRCNN_CHECK(int(positional_.size()) <= positional_max_,
              "rrcnn " << command_ << ": unexpected argument '" << positional_[size_t(positional_max_)] << "'");
  return true;
}

void Flags::fail_unknown(const std::vector<std::string>& left) const {
  const std::string& a = left.front();
  if (a.size() > 1 && a[0] == '-')
    RRCNN_FAIL("rrcnn " << command_ << ": unknown flag " << a.substr(0, a.find('=')) << " (see rrcnn " << command_
                        << " --help)");
  RRCNN_FAIL("rrcnn " << command_ << ": unexpected argument '" << a << "'");
}

const Flags::Decl& Flags::decl(const std::string& name) const {
  const auto it = decls_.find(name);
  RRCNN_CHECK(it != decls_.end(), "internal: rrcnn " << command_ << " reads --" << name << ", which it never declared");
  return it->second;
}

void Flags::check_value(const std::string& name, const Decl& d, const std::string& s) const {
  const std::string at = "rrcnn " + command_ + ": --" + name;
  switch (d.kind) {
    case Kind::kText:
    case Kind::kFlag:
      return;
    case Kind::kInteger: {
      long long v = 0;
      RRCNN_CHECK(parse_int64(s, &v), at << " '" << s << "' is not an integer");
      RRCNN_CHECK(v >= d.lo && v <= d.hi, at << " " << v << " is out of range " << (long long)d.lo << ".."
                                             << (long long)d.hi);
      return;
    }
    case Kind::kU64: {
      char* end = nullptr;
      errno = 0;
      const unsigned long long v = std::strtoull(s.c_str(), &end, 10);
      (void)v;
      RRCNN_CHECK(!s.empty() && s[0] != '-' && end && *end == 0 && errno == 0,
                  at << " '" << s << "' is not a non-negative integer");
      return;
    }
    case Kind::kNumber: {
      float v = 0;
      RRCNN_CHECK(parse_float(s, &v), at << " '" << s << "' is not a number");
      RRCNN_CHECK(v >= float(d.lo) && v <= float(d.hi), at << " " << v << " is out of range " << float(d.lo) << ".."
                                                           << float(d.hi));
      return;
    }
    case Kind::kNumbers: {
      std::stringstream ss(s);
      int n = 0;
      for (std::string item; std::getline(ss, item, ',');) {
        float v = 0;
        RRCNN_CHECK(parse_float(item, &v), at << " '" << s << "' is not a comma-separated list of numbers");
        ++n;
      }
      RRCNN_CHECK(n > 0, at << " is empty");
      return;
    }
    case Kind::kChoice:
      RRCNN_CHECK(std::find(d.choices.begin(), d.choices.end(), s) != d.choices.end(),
                  at << " '" << s << "' (choose " << or_list(d.choices) << ")");
      return;
  }
}

bool Flags::has(const std::string& name) const { return decl(name).option->count() > 0; }

std::string Flags::str(const std::string& name, const std::string& fallback) const {
  const Decl& d = decl(name);
  return d.option->count() > 0 ? d.option->results().back() : fallback;
}

int Flags::integer(const std::string& name, int fallback) const {
  const Decl& d = decl(name);
  RRCNN_CHECK(d.kind == Kind::kInteger, "internal: --" << name << " is not declared as an integer");
  return integer(name, fallback, int(d.lo), int(d.hi));
}

int Flags::integer(const std::string& name, int fallback, int lo, int hi) const {
  if (!has(name)) return fallback;
  Decl d{Kind::kInteger, double(lo), double(hi)};
  const std::string s = str(name);
  check_value(name, d, s);
  return int(std::strtoll(s.c_str(), nullptr, 10));
}

uint64_t Flags::u64(const std::string& name, uint64_t fallback) const {
  if (!has(name)) return fallback;
  const std::string s = str(name);
  check_value(name, Decl{Kind::kU64}, s);
  return std::strtoull(s.c_str(), nullptr, 10);
}

float Flags::number(const std::string& name, float fallback) const {
  const Decl& d = decl(name);
  RRCNN_CHECK(d.kind == Kind::kNumber, "internal: --" << name << " is not declared as a number");
  return number(name, fallback, float(d.lo), float(d.hi));
}

float Flags::number(const std::string& name, float fallback, float lo, float hi) const {
  if (!has(name)) return fallback;
  const std::string s = str(name);
  check_value(name, Decl{Kind::kNumber, lo, hi}, s);
  return std::strtof(s.c_str(), nullptr);
}

std::vector<float> Flags::numbers(const std::string& name, const std::vector<float>& fallback) const {
  if (!has(name)) return fallback;
  const std::string s = str(name);
  check_value(name, Decl{Kind::kNumbers}, s);
  std::vector<float> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');) out.push_back(std::strtof(item.c_str(), nullptr));
  return out;
}

}  // namespace rrcnn
