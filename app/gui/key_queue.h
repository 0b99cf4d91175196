// Keyboard events between GLFW and the UI. Dear ImGui 1.86 (Debian's) reads keys as "down this
// frame", so a press and its release delivered in the same frame (a scripted tap, xdotool, a
// fast typist on a slow frame) would never be seen. KeyEventQueue holds events back so that a
// key never changes twice within one frame. Also: when shortcuts may fire, and key names for
// scripts ("ctrl+s"). No window code; unit-tested.
#pragma once

#include <deque>
#include <string>
#include <vector>

namespace rrcnn {

struct KeyEvent {
  int key = 0;     // GLFW_KEY_*
  int scancode = 0;
  int action = 0;  // GLFW_PRESS, GLFW_RELEASE or GLFW_REPEAT
  int mods = 0;    // GLFW_MOD_*
};

class KeyEventQueue {
 public:
  void push(const KeyEvent& e) { queue_.push_back(e); }
  // The events to hand to the UI this frame, in order: everything up to (not including) the
  // first event that would undo a change an earlier event of this batch made to the same key,
  // and never past the first press of a key that is not a modifier (so a chord's modifiers are
  // still down in the frame its key goes down). The rest waits for the next frame.
  std::vector<KeyEvent> take_frame();
  bool pending() const { return !queue_.empty(); }

 private:
  std::deque<KeyEvent> queue_;
};

// A key with modifiers, as scripts name it: "t", "shift+t", "ctrl+s", "space", "f12",
// "escape", "enter", "[" ... Returns false for an unknown name.
struct KeyChord {
  int key = 0;
  int mods = 0;  // GLFW_MOD_SHIFT | GLFW_MOD_CONTROL | GLFW_MOD_ALT
};
bool parse_key_chord(const std::string& name, KeyChord* out);
// The events of a quick tap of the chord (modifiers down, key down, key up, modifiers up).
std::vector<KeyEvent> tap_events(const KeyChord& chord);

// Whether a single-key shortcut may act now: not while text is being typed into a field, a
// popup or menu is open, or one of the studio's own dialogs (file browser, prompts) is up.
struct FocusState {
  bool text_input = false;   // a text field has the keyboard
  bool popup_open = false;   // any ImGui popup or menu
  bool dialog_open = false;  // file browser, unsaved-weights prompt, error or divergence popup
};
inline bool shortcuts_allowed(const FocusState& f) {
  return !f.text_input && !f.popup_open && !f.dialog_open;
}

}  // namespace rrcnn
