// Error text for users: one plain sentence naming the file and the problem; source tags, C++
// library text and made-up header numbers stay in the details.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "gui/user_message.h"

using namespace rrcnn;

TEST_CASE("user messages: source tags go, the sentence stays") {
  const UserMessage m =
      to_user_message("/a/m.safetensors: tensor 'x' missing [core/checkpoint.cpp:131]");
  CHECK(m.text == "/a/m.safetensors: tensor 'x' missing.");
  CHECK(m.detail.find("[core/checkpoint.cpp:131]") != std::string::npos);
  CHECK(to_user_message("stop training first [gui/studio_apply.cpp:12] ").text ==
        "stop training first.");
  CHECK(to_user_message("already a sentence.").text == "already a sentence.");
}

TEST_CASE("user messages: damaged files read as what they are, without header numbers") {
  CHECK(to_user_message("/d/x.safetensors: not a safetensors file or truncated (header length "
                        "8243124838383, file 100 bytes) [core/safetensors.cpp:72]")
            .text == "/d/x.safetensors is not a checkpoint, or it is truncated.");
  CHECK(to_user_message("/d/x.safetensors: tensor 'update.layers.0.kernel' data [0, 32768) is "
                        "outside the file's 1200 data bytes (truncated file?)")
            .text == "/d/x.safetensors is truncated (tensor 'update.layers.0.kernel' is cut off).");
  CHECK(to_user_message("/d/t-images-idx3-ubyte: not an IDX file (bad magic number 1347093252)")
            .text == "/d/t-images-idx3-ubyte is not an IDX file.");
  CHECK(to_user_message("/d/t: truncated: header promises 784000 bytes of data, file has 10").text ==
        "/d/t is truncated.");
  CHECK(to_user_message("/d/t: dimension 1 has size 4000000000").text.find("impossible size") !=
        std::string::npos);
  CHECK(to_user_message("/nope/m.safetensors: cannot open (No such file or directory) "
                        "[core/safetensors.cpp:126]")
            .text == "/nope/m.safetensors: no such file.");
}

TEST_CASE("user messages: C++ library text is never shown") {
  const UserMessage m =
      to_user_message("basic_filebuf::underflow error reading the file: Is a directory");
  CHECK(m.text.find("basic_filebuf") == std::string::npos);
  CHECK(m.text.find("failed") != std::string::npos);
  CHECK(m.detail.find("basic_filebuf") != std::string::npos);
  CHECK(to_user_message("std::bad_alloc").text.find("bad_alloc") == std::string::npos);
}

TEST_CASE("readable-file checks name the file and the problem") {
  const auto dir = std::filesystem::temp_directory_path() / "rrcnn_gui_user_message";
  std::filesystem::create_directories(dir);
  const std::string empty = (dir / "empty.safetensors").string();
  std::ofstream(empty).close();
  CHECK_THROWS_WITH_AS(check_readable_file((dir / "none.safetensors").string(), "checkpoint"),
                       doctest::Contains("none.safetensors: no such file."), Error);
  CHECK_THROWS_WITH_AS(check_readable_file(dir.string(), "checkpoint"),
                       doctest::Contains("is a folder; choose a checkpoint file."), Error);
  CHECK_THROWS_WITH_AS(check_readable_file(empty, "checkpoint"),
                       doctest::Contains("is empty, not a checkpoint."), Error);
  std::ofstream(dir / "ok.safetensors") << "x";
  CHECK_NOTHROW(check_readable_file((dir / "ok.safetensors").string(), "checkpoint"));
  // Through the translation: the source tag the check adds is gone.
  try {
    check_readable_file(dir.string(), "checkpoint");
  } catch (const Error& e) {
    CHECK(to_user_message(e.what()).text == dir.string() + " is a folder; choose a checkpoint file.");
  }
}
