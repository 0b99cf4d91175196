// Which commands would throw away unsaved trained weights, and the question asked first.
#include <doctest/doctest.h>

#include "gui/files/unsaved_guard.h"

using namespace rrcnn;

TEST_CASE("unsaved weights: loading, resetting, switching and quitting ask; the rest does not") {
  Command load{Cmd::kLoadCheckpoint};
  load.path = "/runs/m.safetensors";
  CHECK(discarding_action(load, false) == "Loading m.safetensors");
  load.discard_ok = true;
  CHECK(discarding_action(load, false).empty());
  Command open{Cmd::kOpenPath};
  open.path = "/data/mnist";
  CHECK(discarding_action(open, false).empty());
  open.path = "/runs/x.safetensors";
  CHECK(discarding_action(open, true) == "Loading x.safetensors");
  CHECK(discarding_action(Command{Cmd::kResetWeights}, false) == "Resetting the weights");
  CHECK(discarding_action(Command{Cmd::kReseedWeights}, false) == "Resetting the weights");
  CHECK(discarding_action(Command{Cmd::kQuit}, false) == "Quitting");
  Command sw{Cmd::kSwitchModel};
  sw.path = "/assets/rrcnn-pool.safetensors";
  CHECK(discarding_action(sw, false) == "Switching to rrcnn-pool.safetensors");
  Command pre{Cmd::kUsePreset};
  pre.path = "lite";
  CHECK(discarding_action(pre, false) == "Starting a fresh lite model");
  for (Cmd k : {Cmd::kSaveCheckpoint, Cmd::kTrainStart, Cmd::kScreenshot, Cmd::kSetTrain,
                Cmd::kNewDigits})
    CHECK(discarding_action(Command{k}, false).empty());
  CHECK(unsaved_question("Quitting", 12) ==
        "The weights were trained for 12 steps since they were last saved. Quitting discards "
        "them.");
  CHECK(unsaved_question("Quitting", 1).find("for 1 step since") != std::string::npos);
  CHECK(unsaved_question("Quitting", 0).find("trained since") != std::string::npos);
}

TEST_CASE("unsaved weights are judged by the optimiser step, and the status line says what") {
  CHECK_FALSE(weights_unsaved(8192, 8192));  // a run that ended before its first step
  CHECK(weights_unsaved(8193, 8192));
  CHECK(unsaved_status(8192, 8192, true).empty());
  CHECK(unsaved_status(5, 0, false) == "trained weights not saved (Ctrl+S)");
  // Saved during training: the steps since that save, not "not saved".
  CHECK(unsaved_status(1300, 1262, true) == "38 steps trained since the save at step 1262 (Ctrl+S)");
  CHECK(unsaved_status(1263, 1262, true) == "1 step trained since the save at step 1262 (Ctrl+S)");
}
