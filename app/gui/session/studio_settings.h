// The studio's live settings gathered in one value, and its mapping to and from a session file
// (session/session_file.h). GL-free, so tests/gui checks that every setting survives a round
// trip (and notices a setting added to the studio but not to the file).
#pragma once

#include <string>
#include <vector>

#include "gui/commands.h"
#include "session/session_file.h"

namespace rrcnn {

struct StudioSettings {
  std::string checkpoint;  // "" = fresh weights of `preset`
  std::string preset;
  std::string data;
  std::string backend = "auto";
  int threads = 0;
  NoiseSettings noise;
  SimPacing pacing;
  BrushSettings brush;
  ViewSettings view;
  TimelineView timeline;
  bool captions = true;
  TrainSettings train;
  std::string recipe = "seed";
  std::string save_to;
  bool save_optimizer = true;
  std::string ab_json;  // the A/B view's settings (session_file.h)
};

Session to_session(const StudioSettings& s);
StudioSettings from_session(const Session& s);

// The lines "Copy as command" and F1 show: one per session_commands() entry.
struct SessionCommandLine {
  std::string command, line;
};

// What the panels show about sessions (StudioState::session).
struct SessionStatus {
  std::vector<SessionCommandLine> commands;
  bool recording = false;  // a session recording is running
  std::string record_path;
  int record_lines = 0;
  bool record_exact = true;  // false once something not replayable happened (training, a fork)
  std::string file;          // the session file last saved or loaded
  bool show_commands = false;  // the Copy as command dialog is up
  std::string copied;          // the command put on the clipboard last
  std::string ab_json;         // the A/B view's part of the session file, kept as it was read
};

}  // namespace rrcnn
