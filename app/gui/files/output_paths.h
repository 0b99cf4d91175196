// Where the studio writes what the user makes, so nothing lands in the working directory under
// a fixed name: pictures (screenshots, GIFs) in the XDG pictures folder, checkpoints and loss
// histories in the XDG data folder, each under rrcnn-studio/, with time-stamped names that never
// replace an existing file. Also: typed paths made absolute, extensions added, the check that a
// write would replace another file. No window code; unit-tested.
#pragma once

#include <ctime>
#include <string>

namespace rrcnn {

struct OutputDirs {
  std::string pictures;  // screenshots, GIFs
  std::string data;      // checkpoints, loss CSVs
};

// The environment the folders are derived from (tests pass their own).
struct OutputEnv {
  std::string home, xdg_data_home, xdg_config_home, xdg_pictures_dir;
};
OutputEnv output_env_from_process();

// `override_dir` (--output-dir) when given: both kinds go there. Else pictures:
// $XDG_PICTURES_DIR, or the XDG_PICTURES_DIR line of user-dirs.dirs in the config home, or
// ~/Pictures; data: $XDG_DATA_HOME or ~/.local/share; each + "/rrcnn-studio". Empty strings
// when there is no home to derive them from.
OutputDirs output_dirs(const OutputEnv& env, const std::string& override_dir = "");

// The value of KEY (e.g. "XDG_PICTURES_DIR") in a user-dirs.dirs text, with $HOME expanded;
// "" when absent.
std::string parse_user_dirs(const std::string& text, const std::string& key,
                            const std::string& home);

// "rrcnn-screenshot-2024-05-01-134502.png" for prefix "rrcnn-screenshot" and ext ".png".
std::string timestamped_name(const std::string& prefix, const std::string& ext, std::time_t t);
// dir/name, or dir/name-2.ext, -3, ... : the first that does not exist yet.
std::string unused_path(const std::string& dir, const std::string& name);

// A path as typed: "~/" expanded, a relative one placed under `base_dir`, "." and ".."
// resolved lexically. Empty in, empty out.
std::string absolute_output_path(const std::string& typed, const std::string& base_dir,
                                 const std::string& home);
// `path` with `ext` (".safetensors") appended unless it already ends in it (any case).
std::string with_extension(const std::string& path, const std::string& ext);

// A file of that name exists (any kind); writing there would replace it.
bool path_exists(const std::string& path);
// `path` lies inside `dir` (lexically, after making both absolute).
bool path_inside(const std::string& path, const std::string& dir);

// "~/Pictures/rrcnn-studio" for display: the home folder shortened to ~.
std::string display_path(const std::string& path, const std::string& home);

// One word for a POSIX shell, quoted only when it has to be: `a b's` -> 'a b'\''s'. For the
// command lines the studio shows to be pasted into a terminal.
std::string shell_quote(const std::string& word);

}  // namespace rrcnn
