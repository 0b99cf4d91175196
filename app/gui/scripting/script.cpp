// Script parsing and validation (see script.h).
#include "gui/scripting/script.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/error.h"
#include "gui/key_queue.h"

namespace rrcnn {
namespace {

// Argument kinds: 'i' integer, 'f' number, 's' any word, 'w' a word from `words`.
struct OpSpec {
  size_t min_args, max_args;
  std::string kinds;
  std::set<std::string> words;  // for 'w' arguments (or the first word when kinds[0] == 'n')
};

const std::map<std::string, OpSpec>& specs() {
  static const std::map<std::string, OpSpec> table = {
      {"wait", {1, 1, "i", {}}},
      {"wait-step", {1, 2, "ii", {}}},
      {"wait-train", {1, 2, "ii", {}}},
      {"wait-trainer-idle", {0, 1, "i", {}}},
      {"play", {0, 0, "", {}}},
      {"pause", {0, 0, "", {}}},
      {"step", {0, 1, "i", {}}},
      {"reset", {0, 0, "", {}}},
      {"new-digits", {0, 1, "w", {"keep-hidden"}}},
      {"new-noise", {0, 0, "", {}}},
      {"blank", {0, 0, "", {}}},
      {"add-noise", {0, 0, "", {}}},
      {"speed", {1, 1, "s", {}}},
      {"noise", {1, 1, "s", {}}},
      {"dropout", {1, 1, "f", {}}},
      {"seed", {1, 1, "i", {}}},
      {"rollout", {1, 1, "i", {}}},
      {"loop", {1, 1, "w", {"on", "off"}}},
      {"batch", {1, 1, "i", {}}},
      {"brush", {1, 2, "wf", {"draw", "erase", "noise"}}},
      {"paint", {3, 3, "iff", {}}},
      {"stroke", {5, 5, "iffff", {}}},
      {"view", {1, 2, "wi", {"image", "channel", "error", "change", "mean", "std", "original"}}},
      {"mosaic", {1, 1, "w", {"on", "off"}}},
      {"select", {1, 1, "i", {}}},
      {"colormap", {1, 1, "w", {"dark", "light"}}},
      {"window", {2, 2, "ss", {}}},
      {"train", {1, 1, "w", {"start", "pause", "resume", "stop"}}},
      {"train-batch", {1, 1, "i", {}}},
      {"train-target", {1, 1, "i", {}}},
      {"preset", {1, 1, "w", {"seed", "lite"}}},
      {"model", {1, 1, "s", {}}},
      {"endless", {1, 1, "w", {"on", "off"}}},
      {"wait-estimate", {0, 1, "i", {}}},
      {"lr", {1, 2, "ff", {}}},
      {"probe", {4, 6, "siffff", {}}},
      {"screenshot", {1, 1, "s", {}}},
      {"save", {1, 1, "s", {}}},
      {"load", {1, 1, "s", {}}},
      {"export-loss", {1, 1, "s", {}}},
      {"open", {1, 1, "s", {}}},
      {"gif", {1, 1, "s", {}}},
      {"gif-stop", {0, 0, "", {}}},
      {"captions", {1, 1, "w", {"on", "off"}}},
      {"key", {1, 1, "s", {}}},
      {"type", {1, 1, "s", {}}},
      {"expect-error", {1, 16, "ssssssssssssssss", {}}},
      {"close", {0, 0, "", {}}},
      {"window-size", {2, 2, "ii", {}}},
      {"panel", {5, 5, "wffff", {"Controls", "Live", "Inspector", "Training"}}},
      {"hover", {1, 3, "sff", {}}},
      {"assert", {2, 16, "ws",
                  {"unsaved", "prompt", "train", "playing", "help", "browser", "model",
                   "rollout", "notice", "plot", "diverged", "toast", "command", "status",
                   "description", "name", "points", "recording", "batch", "shown-step", "kept-from", "full-from",
                   "forked", "full-state", "curve-steps", "uncertainty",
                   "recipe", "train-recipe", "config", "overlays", "recent-runs",
                   "ab", "ab-name", "ab-differs",
                   "session-recording"}}},
      // The timeline (timeline_script.h).
      {"timeline", {1, 2, "wi", {"on", "off"}}},
      {"show-step", {1, 1, "s", {}}},
      {"fork", {0, 1, "i", {}}},
      {"keep", {1, 1, "w", {"branch", "original"}}},
      {"curves", {1, 1, "w", {"on", "off", "mse", "psnr"}}},
      {"uncertainty", {0, 1, "i", {}}},
      {"uncertainty-cancel", {0, 0, "", {}}},
      {"wait-uncertainty", {0, 1, "i", {}}},
      {"weights", {1, 1, "w", {"reset", "reseed"}}},
      // Models and runs of your own (model_script.h).
      {"new-model-dialog", {0, 16, "", {}}},
      {"new-model", {1, 16, "", {}}},
      {"wait-new-model", {0, 1, "i", {}}},
      {"recipe", {1, 16, "w", {"seed", "pool"}}},
      {"overlay", {1, 2, "ss", {}}},
      // A/B (ab/ab_script.h).
      {"ab", {1, 2, "ws", {"load", "model", "snapshot", "swap", "off", "b-tile", "diff"}}},
      // Sessions (session_file.h) and their recordings (a recording is a script of these).
      {"session-save", {1, 1, "s", {}}},
      {"session-load", {1, 1, "s", {}}},
      {"record", {0, 1, "s", {}}},
      {"record-stop", {0, 0, "", {}}},
      {"recorded", {0, 0, "", {}}},
      {"copy-command", {0, 1, "w", {"render", "eval", "train", "gui", "close"}}},
      {"stroke-at", {9, 9, "ifffffwfi", {"draw", "erase", "noise"}}},
      {"restore", {3, 3, "iii", {}}},
      {"quit", {0, 0, "", {}}},
  };
  return table;
}

bool is_int(const std::string& s) {
  char* end = nullptr;
  std::strtol(s.c_str(), &end, 10);
  return !s.empty() && end && *end == 0;
}

bool is_number(const std::string& s) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  return !s.empty() && end && *end == 0 && std::isfinite(v);
}

}  // namespace

int ScriptAction::int_arg(size_t i, int fallback) const {
  return i < args.size() ? int(std::strtol(args[i].c_str(), nullptr, 10)) : fallback;
}

float ScriptAction::float_arg(size_t i, float fallback) const {
  return i < args.size() ? std::strtof(args[i].c_str(), nullptr) : fallback;
}

const std::string& ScriptAction::str_arg(size_t i) const {
  static const std::string empty;
  return i < args.size() ? args[i] : empty;
}

std::vector<ScriptAction> parse_script(const std::string& text, const std::string& what) {
  std::vector<ScriptAction> out;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const auto hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    ScriptAction a;
    a.line = number;
    if (!(words >> a.op)) continue;
    for (std::string w; words >> w;) a.args.push_back(w);
    const auto it = specs().find(a.op);
    RRCNN_CHECK(it != specs().end(), what << ":" << number << ": unknown action '" << a.op << "'");
    const OpSpec& spec = it->second;
    RRCNN_CHECK(
        a.args.size() >= spec.min_args && a.args.size() <= spec.max_args,
        what << ":" << number << ": '" << a.op << "' takes " << spec.min_args
             << (spec.min_args == spec.max_args ? "" : "..." + std::to_string(spec.max_args))
             << " argument(s), got " << a.args.size());
    for (size_t i = 0; i < a.args.size(); ++i) {
      const char kind = i < spec.kinds.size() ? spec.kinds[i] : 's';
      const std::string& v = a.args[i];
      RRCNN_CHECK(kind != 'i' || is_int(v), what << ":" << number << ": '" << a.op << "' argument "
                                                 << i + 1 << " '" << v << "' is not an integer");
      RRCNN_CHECK(kind != 'f' || is_number(v), what << ":" << number << ": '" << a.op
                                                    << "' argument " << i + 1 << " '" << v
                                                    << "' is not a number");
      RRCNN_CHECK(kind != 'w' || spec.words.count(v),
                  what << ":" << number << ": '" << a.op << "' does not know '" << v << "'");
    }
    if (a.op == "speed")
      RRCNN_CHECK(a.args[0] == "max" || is_number(a.args[0]),
                  what << ":" << number << ": speed wants steps per second or 'max'");
    if (a.op == "noise")
      RRCNN_CHECK(a.args[0] == "random" || is_number(a.args[0]),
                  what << ":" << number << ": noise wants a level in [0, 1] or 'random'");
    KeyChord chord;
    if (a.op == "key")
      RRCNN_CHECK(parse_key_chord(a.args[0], &chord),
                  what << ":" << number << ": 'key' does not know '" << a.args[0]
                       << "' (try t, shift+t, ctrl+s, space, f12, escape)");
    if (a.op == "hover")
      RRCNN_CHECK((a.args[0] == "off" && a.args.size() == 1) ||
                      (is_int(a.args[0]) && a.args.size() == 3),
                  what << ":" << number << ": hover wants SAMPLE X Y, or off");
    if (a.op == "view" && a.args[0] == "channel")
      RRCNN_CHECK(a.args.size() == 2,
                  what << ":" << number << ": 'view channel' needs a channel number");
    out.push_back(a);
  }
  return out;
}

std::vector<ScriptAction> load_script(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  RRCNN_CHECK(in.good(), "cannot open script '" << path << "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_script(ss.str(), path);
}

}  // namespace rrcnn
