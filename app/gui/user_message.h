// What the user reads when something fails: one plain sentence naming the file and the problem,
// made from the text an exception carried. Source tags ("[core/x.cpp:72]"), raw C++ library
// text ("basic_filebuf::underflow ...") and header numbers a damaged file made up are left out;
// the original goes to the details (and the studio's log). Also the checks the studio makes
// before opening a file, so the common cases never reach a library at all. No window code;
// unit-tested.
#pragma once

#include <string>

namespace rrcnn {

struct UserMessage {
  std::string text;    // for the popup
  std::string detail;  // the original, for the log and the popup's details
};

UserMessage to_user_message(const std::string& raw);

// Throws rrcnn::Error with a plain sentence when `path` cannot be read as a file of kind `what`
// ("checkpoint"): missing, a folder, empty or unreadable.
void check_readable_file(const std::string& path, const std::string& what);

// Appends "time  text" to the log file (creating its folder); errors are ignored.
void append_log(const std::string& log_path, const std::string& text);

}  // namespace rrcnn
