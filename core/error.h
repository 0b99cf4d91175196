// The one error type of the project and the check macro that throws it. Messages name the file
// or tensor and the problem; where the fault is with the user's input, they say what to do.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace rrcnn {

// what() is the message alone, for users; where() keeps the source location ("core/idx.cpp:72")
// for bug reports, printed by main() only when RRCNN_DEBUG is set.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, std::string where = {})
      : std::runtime_error(message), where_(std::move(where)) {}
  const std::string& where() const { return where_; }

 private:
  std::string where_;
};

// Training produced a non-finite loss or gradient and the step was not applied: the backend
// still holds the last good parameters and Adam state, so the caller can save them.
class DivergedError : public Error {
 public:
  using Error::Error;
};

// "dir/file.cpp:line" from __FILE__ (the last two path components).
inline std::string source_location(const char* file, int line) {
  std::string path = file;
  const auto slash = path.find_last_of('/');
  const auto parent = slash == std::string::npos ? std::string::npos : path.find_last_of('/', slash - 1);
  if (parent != std::string::npos) path = path.substr(parent + 1);
  return path + ":" + std::to_string(line);
}

template <class E = Error>
[[noreturn]] void throw_error(const char* file, int line, const std::string& message) {
  throw E(message, source_location(file, line));
}

}  // namespace rrcnn

// RRCNN_CHECK(cond, "message " << value): streams the message only when the check fails.
#define RRCNN_CHECK_AS(type, cond, msg)                                        \
  do {                                                                         \
    if (!(cond)) {                                                             \
      std::ostringstream rrcnn_check_os_;                                      \
      rrcnn_check_os_ << msg;                                                  \
      ::rrcnn::throw_error<type>(__FILE__, __LINE__, rrcnn_check_os_.str());   \
    }                                                                          \
  } while (0)

#define RRCNN_CHECK(cond, msg) RRCNN_CHECK_AS(::rrcnn::Error, cond, msg)
#define RRCNN_FAIL(msg) RRCNN_CHECK(false, msg)
// For a non-finite loss or gradient detected before the update is applied.
#define RRCNN_CHECK_DIVERGED(cond, msg) RRCNN_CHECK_AS(::rrcnn::DivergedError, cond, msg)
