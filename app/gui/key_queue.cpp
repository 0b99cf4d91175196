// Key event trickling and key names (see key_queue.h).
#include "gui/key_queue.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <cctype>
#include <map>

namespace rrcnn {

namespace {

bool modifier(int key) {
  return key >= GLFW_KEY_LEFT_SHIFT && key <= GLFW_KEY_RIGHT_SUPER;
}

}  // namespace

std::vector<KeyEvent> KeyEventQueue::take_frame() {
  std::vector<KeyEvent> out;
  std::map<int, int> changed;  // key -> the action it got in this batch
  while (!queue_.empty()) {
    const KeyEvent& e = queue_.front();
    if (e.action == GLFW_PRESS || e.action == GLFW_RELEASE) {
      const auto it = changed.find(e.key);
      if (it != changed.end() && it->second != e.action) break;  // next frame
      changed[e.key] = e.action;
    }
    out.push_back(e);
    queue_.pop_front();
    // A key press ends the frame's share: the modifiers it was pressed with stay as they are
    // for that frame (X may deliver a chord's modifier releases before the key's own).
    if (e.action == GLFW_PRESS && !modifier(e.key)) break;
  }
  return out;
}

namespace {

int key_from_name(const std::string& n) {
  if (n.size() == 1) {
    const char c = char(std::toupper(static_cast<unsigned char>(n[0])));
    if (c >= 'A' && c <= 'Z') return GLFW_KEY_A + (c - 'A');
    if (c >= '0' && c <= '9') return GLFW_KEY_0 + (c - '0');
    switch (c) {
      case '[': return GLFW_KEY_LEFT_BRACKET;
      case ']': return GLFW_KEY_RIGHT_BRACKET;
      case ',': return GLFW_KEY_COMMA;
      case '.': return GLFW_KEY_PERIOD;
      case '/': return GLFW_KEY_SLASH;
      case '-': return GLFW_KEY_MINUS;
      default: return 0;
    }
  }
  static const std::map<std::string, int> named = {
      {"space", GLFW_KEY_SPACE},         {"enter", GLFW_KEY_ENTER},
      {"return", GLFW_KEY_ENTER},        {"escape", GLFW_KEY_ESCAPE},
      {"esc", GLFW_KEY_ESCAPE},          {"tab", GLFW_KEY_TAB},
      {"backspace", GLFW_KEY_BACKSPACE}, {"delete", GLFW_KEY_DELETE},
      {"up", GLFW_KEY_UP},               {"down", GLFW_KEY_DOWN},
      {"left", GLFW_KEY_LEFT},           {"right", GLFW_KEY_RIGHT},
      {"home", GLFW_KEY_HOME},           {"end", GLFW_KEY_END},
      {"comma", GLFW_KEY_COMMA},         {"period", GLFW_KEY_PERIOD},
      {"bracketleft", GLFW_KEY_LEFT_BRACKET}, {"bracketright", GLFW_KEY_RIGHT_BRACKET},
  };
  const auto it = named.find(n);
  if (it != named.end()) return it->second;
  if (n.size() >= 2 && n[0] == 'f') {
    int k = 0;
    for (size_t i = 1; i < n.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(n[i]))) return 0;
      k = k * 10 + (n[i] - '0');
    }
    if (k >= 1 && k <= 25) return GLFW_KEY_F1 + k - 1;
  }
  return 0;
}

int modifier_key(int mod) {
  return mod == GLFW_MOD_SHIFT     ? GLFW_KEY_LEFT_SHIFT
         : mod == GLFW_MOD_CONTROL ? GLFW_KEY_LEFT_CONTROL
                                   : GLFW_KEY_LEFT_ALT;
}

}  // namespace

bool parse_key_chord(const std::string& name, KeyChord* out) {
  std::string s;
  for (char c : name) s += char(std::tolower(static_cast<unsigned char>(c)));
  KeyChord k;
  size_t start = 0;
  for (;;) {
    const size_t plus = s.find('+', start);
    // A trailing '+' alone is not a key we support; "ctrl++" is rejected as well.
    if (plus == std::string::npos || plus + 1 >= s.size()) break;
    const std::string mod = s.substr(start, plus - start);
    if (mod == "shift")
      k.mods |= GLFW_MOD_SHIFT;
    else if (mod == "ctrl" || mod == "control")
      k.mods |= GLFW_MOD_CONTROL;
    else if (mod == "alt")
      k.mods |= GLFW_MOD_ALT;
    else
      return false;
    start = plus + 1;
  }
  k.key = key_from_name(s.substr(start));
  if (!k.key) return false;
  *out = k;
  return true;
}

std::vector<KeyEvent> tap_events(const KeyChord& chord) {
  std::vector<KeyEvent> ev;
  const int mods[] = {GLFW_MOD_CONTROL, GLFW_MOD_ALT, GLFW_MOD_SHIFT};
  int held = 0;
  for (int m : mods)
    if (chord.mods & m) {
      held |= m;
      ev.push_back({modifier_key(m), 0, GLFW_PRESS, held});
    }
  ev.push_back({chord.key, 0, GLFW_PRESS, held});
  ev.push_back({chord.key, 0, GLFW_RELEASE, held});
  for (int i = 2; i >= 0; --i)
    if (chord.mods & mods[i]) {
      held &= ~mods[i];
      ev.push_back({modifier_key(mods[i]), 0, GLFW_RELEASE, held});
    }
  return ev;
}

}  // namespace rrcnn
