// Key events reach the UI one change per key per frame, so quick taps are never lost; script key
// names; when shortcuts may fire.
#include <doctest/doctest.h>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include "gui/key_queue.h"

using namespace rrcnn;

TEST_CASE("key queue: a press and release in one frame arrive in two frames") {
  KeyEventQueue q;
  q.push({GLFW_KEY_T, 0, GLFW_PRESS, 0});
  q.push({GLFW_KEY_T, 0, GLFW_RELEASE, 0});
  auto f1 = q.take_frame();
  REQUIRE(f1.size() == 1);
  CHECK(f1[0].action == GLFW_PRESS);
  CHECK(q.pending());
  auto f2 = q.take_frame();
  REQUIRE(f2.size() == 1);
  CHECK(f2[0].action == GLFW_RELEASE);
  CHECK(!q.pending());
  CHECK(q.take_frame().empty());
}

TEST_CASE("key queue: ctrl+s tapped at once keeps ctrl down while s is pressed") {
  KeyChord k;
  REQUIRE(parse_key_chord("ctrl+s", &k));
  KeyEventQueue q;
  for (const KeyEvent& e : tap_events(k)) q.push(e);
  const auto f1 = q.take_frame();
  REQUIRE(f1.size() == 2);
  CHECK(f1[0].key == GLFW_KEY_LEFT_CONTROL);
  CHECK(f1[1].key == GLFW_KEY_S);
  CHECK(f1[1].action == GLFW_PRESS);
  const auto f2 = q.take_frame();
  REQUIRE(f2.size() == 2);
  CHECK(f2[0].key == GLFW_KEY_S);
  CHECK(f2[0].action == GLFW_RELEASE);
  CHECK(f2[1].key == GLFW_KEY_LEFT_CONTROL);
  CHECK(!q.pending());
}

TEST_CASE("key queue: one key press per frame; releases and repeats flow; order is kept") {
  KeyEventQueue q;
  q.push({GLFW_KEY_A, 0, GLFW_PRESS, 0});
  q.push({GLFW_KEY_B, 0, GLFW_PRESS, 0});
  q.push({GLFW_KEY_A, 0, GLFW_REPEAT, 0});
  q.push({GLFW_KEY_A, 0, GLFW_RELEASE, 0});
  q.push({GLFW_KEY_C, 0, GLFW_PRESS, 0});
  q.push({GLFW_KEY_B, 0, GLFW_RELEASE, 0});
  const auto f1 = q.take_frame();
  REQUIRE(f1.size() == 1);
  CHECK(f1[0].key == GLFW_KEY_A);
  const auto f2 = q.take_frame();
  REQUIRE(f2.size() == 1);
  CHECK(f2[0].key == GLFW_KEY_B);
  const auto f3 = q.take_frame();  // A's repeat and release, then C goes down
  REQUIRE(f3.size() == 3);
  CHECK(f3[2].key == GLFW_KEY_C);
  const auto f4 = q.take_frame();
  REQUIRE(f4.size() == 1);
  CHECK(f4[0].key == GLFW_KEY_B);
  CHECK(f4[0].action == GLFW_RELEASE);
}

TEST_CASE("key queue: a chord's modifiers stay down in the frame its key goes down") {
  // X delivered "ctrl down" in one poll, then "q down, ctrl up, q up" in the next: Ctrl+Q
  // must still read as Ctrl+Q.
  KeyEventQueue q;
  q.push({GLFW_KEY_LEFT_CONTROL, 0, GLFW_PRESS, 0});
  CHECK(q.take_frame().size() == 1);
  q.push({GLFW_KEY_Q, 0, GLFW_PRESS, GLFW_MOD_CONTROL});
  q.push({GLFW_KEY_LEFT_CONTROL, 0, GLFW_RELEASE, GLFW_MOD_CONTROL});
  q.push({GLFW_KEY_Q, 0, GLFW_RELEASE, 0});
  const auto f = q.take_frame();
  REQUIRE(f.size() == 1);
  CHECK(f[0].key == GLFW_KEY_Q);
  CHECK(q.take_frame().size() == 2);  // ctrl up, q up
  // Shift and ctrl released before S (as xdotool's chords arrive): the same.
  q.push({GLFW_KEY_S, 0, GLFW_PRESS, GLFW_MOD_CONTROL | GLFW_MOD_SHIFT});
  q.push({GLFW_KEY_LEFT_SHIFT, 0, GLFW_RELEASE, 0});
  q.push({GLFW_KEY_LEFT_CONTROL, 0, GLFW_RELEASE, 0});
  q.push({GLFW_KEY_S, 0, GLFW_RELEASE, 0});
  CHECK(q.take_frame().size() == 1);
  CHECK(q.take_frame().size() == 3);
}

TEST_CASE("key queue: five quick taps of one key take ten frames, none lost") {
  KeyEventQueue q;
  for (int i = 0; i < 5; ++i) {
    q.push({GLFW_KEY_SPACE, 0, GLFW_PRESS, 0});
    q.push({GLFW_KEY_SPACE, 0, GLFW_RELEASE, 0});
  }
  int presses = 0, frames = 0;
  while (q.pending()) {
    for (const KeyEvent& e : q.take_frame()) presses += e.action == GLFW_PRESS;
    ++frames;
  }
  CHECK(presses == 5);
  CHECK(frames == 10);
}

TEST_CASE("key names") {
  KeyChord k;
  REQUIRE(parse_key_chord("T", &k));
  CHECK(k.key == GLFW_KEY_T);
  CHECK(k.mods == 0);
  REQUIRE(parse_key_chord("shift+t", &k));
  CHECK(k.mods == GLFW_MOD_SHIFT);
  REQUIRE(parse_key_chord("Ctrl+Shift+S", &k));
  CHECK(k.key == GLFW_KEY_S);
  CHECK(k.mods == (GLFW_MOD_SHIFT | GLFW_MOD_CONTROL));
  REQUIRE(parse_key_chord("f12", &k));
  CHECK(k.key == GLFW_KEY_F12);
  REQUIRE(parse_key_chord("space", &k));
  CHECK(k.key == GLFW_KEY_SPACE);
  REQUIRE(parse_key_chord("]", &k));
  CHECK(k.key == GLFW_KEY_RIGHT_BRACKET);
  CHECK(!parse_key_chord("hyper+t", &k));
  CHECK(!parse_key_chord("f99", &k));
  CHECK(!parse_key_chord("", &k));
  CHECK(!parse_key_chord("ctrl+", &k));
  const auto ev = tap_events({GLFW_KEY_T, GLFW_MOD_SHIFT});
  REQUIRE(ev.size() == 4);
  CHECK(ev.front().key == GLFW_KEY_LEFT_SHIFT);
  CHECK(ev.back().key == GLFW_KEY_LEFT_SHIFT);
  CHECK(ev.back().action == GLFW_RELEASE);
}

TEST_CASE("shortcuts wait while text, a popup or a dialog has the keyboard") {
  CHECK(shortcuts_allowed({}));
  CHECK(!shortcuts_allowed({true, false, false}));
  CHECK(!shortcuts_allowed({false, true, false}));
  CHECK(!shortcuts_allowed({false, false, true}));
}
