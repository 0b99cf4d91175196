// The one error type of the project and the check macro that throws it. Messages name the file
// or tensor and the problem; where the fault is with the user's input, they say what to do.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace rrcnn {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The source location goes last, in brackets, so the user reads the problem first and a bug
// report still carries where it was raised.
[[noreturn]] inline void throw_error(const char* file, int line, const std::string& message) {
  std::string path = file;
  const auto slash = path.find_last_of('/');
  const auto parent = slash == std::string::npos ? std::string::npos : path.find_last_of('/', slash - 1);
  if (parent != std::string::npos) path = path.substr(parent + 1);
  throw Error(message + " [" + path + ":" + std::to_string(line) + "]");
}

}  // namespace rrcnn

// RRCNN_CHECK(cond, "message " << value): streams the message only when the check fails.
#define RRCNN_CHECK(cond, msg)                                      \
  do {                                                              \
    if (!(cond)) {                                                  \
      std::ostringstream rrcnn_check_os_;                           \
      rrcnn_check_os_ << msg;                                       \
      ::rrcnn::throw_error(__FILE__, __LINE__, rrcnn_check_os_.str()); \
    }                                                               \
  } while (0)

#define RRCNN_FAIL(msg) RRCNN_CHECK(false, msg)
