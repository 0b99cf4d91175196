// The state and rules of the studio's file browser (Debian packages no ImGui file dialog, so we
// keep our own over std::filesystem): the folder shown, its entries (folders first, then the
// files with the wanted extensions, sorted by name), navigation, the name being typed, and what
// OK means (open an existing file; save a new one, or ask before replacing one). The drawing is
// in panel_file_browser.cpp. No window code; unit-tested.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

namespace rrcnn {

// What the chosen path is for; the UI turns it into the matching command.
enum class BrowsePurpose {
  kLoadCheckpoint,
  kSaveCheckpoint,
  kOpenData,  // a directory of IDX files or one images file
  kScreenshot,
  kGif,
  kExportLoss,
  kOpenRunLog,  // a training log (.jsonl) to overlay on the loss plot
  kLoadB,   // a checkpoint to run as B beside the session's model (A/B)
  kSaveSession,    // session files (gui/studio_session.cpp)
  kLoadSession,
  kRecordSession,  // where a session recording (a script) goes
};

struct BrowserEntry {
  std::string name;
  bool is_dir = false;
  uintmax_t size = 0;
  std::time_t modified = 0;
};

// What pressing OK (or double-clicking a file) leads to.
struct BrowserChoice {
  enum Kind { kNothing, kChosen, kConfirmReplace, kProblem } kind = kNothing;
  std::string path;     // absolute
  std::string message;  // kProblem: why not; kConfirmReplace: the question
};

class FileBrowser {
 public:
  // Opens at `dir` (falls back to its nearest existing parent, then home) with `file_name`
  // typed in; `extensions` (".png") filter the files shown, empty: all files.
  void open(BrowsePurpose purpose, const std::string& title, const std::string& dir,
            const std::string& file_name, const std::vector<std::string>& extensions);
  void close() { open_ = false; }
  bool is_open() const { return open_; }
  bool saving() const {
    return purpose_ == BrowsePurpose::kSaveCheckpoint || purpose_ == BrowsePurpose::kScreenshot ||
           purpose_ == BrowsePurpose::kGif || purpose_ == BrowsePurpose::kExportLoss ||
           purpose_ == BrowsePurpose::kSaveSession || purpose_ == BrowsePurpose::kRecordSession;
  }
  BrowsePurpose purpose() const { return purpose_; }
  const std::string& title() const { return title_; }
  const std::string& dir() const { return dir_; }
  const std::vector<BrowserEntry>& entries() const { return entries_; }
  const std::vector<std::string>& extensions() const { return extensions_; }
  const std::string& list_error() const { return list_error_; }  // the folder cannot be read

  // Navigation. enter(): a sub-folder by name; go(): any folder typed by the user (false and
  // list_error() set when it is not a readable folder; the old folder stays).
  void enter(const std::string& name);
  void up();
  bool go(const std::string& dir);
  void refresh();
  void set_show_all(bool all);
  bool show_all() const { return show_all_; }

  std::string file_name;  // typed or clicked
  // Clicking a file fills in its name; clicking a folder selects it (kOpenData).
  void select(const BrowserEntry& e);
  // What OK means now. A saved file gets the first extension appended when it has none of them.
  BrowserChoice choose() const;
  // The same after the user agreed to replace the file.
  BrowserChoice confirm_replace() const;

 private:
  bool matches(const std::string& name) const;
  BrowsePurpose purpose_ = BrowsePurpose::kLoadCheckpoint;
  std::string title_, dir_, list_error_;
  std::vector<std::string> extensions_;
  std::vector<BrowserEntry> entries_;
  bool open_ = false, show_all_ = false;
};

// "12.3 kB", "4.0 MB" for the size column.
std::string format_size(uintmax_t bytes);

}  // namespace rrcnn
