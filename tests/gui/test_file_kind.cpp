// What a dropped file is: by its first bytes where possible, else by name.
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "gui/files/file_kind.h"

using namespace rrcnn;

namespace {

std::string write(const std::string& name, const std::string& bytes) {
  const auto dir = std::filesystem::temp_directory_path() / "rrcnn_gui_test_files";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

}  // namespace

TEST_CASE("file kinds by magic bytes and names") {
  const std::string idx3("\x00\x00\x08\x03\x00\x00\x00\x01", 8);
  const std::string idx1("\x00\x00\x08\x01\x00\x00\x00\x01", 8);
  std::string st("\x0b\x00\x00\x00\x00\x00\x00\x00{\"a\":1}   ", 19);
  CHECK(classify_file(write("x-images-idx3-ubyte", idx3)) == FileKind::kIdxImages);
  CHECK(classify_file(write("whatever.bin", idx3)) == FileKind::kIdxImages);
  CHECK(classify_file(write("y-labels-idx1-ubyte", idx1)) == FileKind::kIdxLabels);
  CHECK(classify_file(write("model.safetensors", st)) == FileKind::kCheckpoint);
  CHECK(classify_file(write("renamed.bin", st)) == FileKind::kCheckpoint);
  CHECK(classify_file(write("train-images-idx3-ubyte.gz", std::string("\x1f\x8b\x08\x00", 4))) ==
        FileKind::kIdxImages);
  CHECK(classify_file(write("train-labels-idx1-ubyte.gz", std::string("\x1f\x8b\x08\x00", 4))) ==
        FileKind::kIdxLabels);
  CHECK(classify_file(write("notes.txt", "hello world")) == FileKind::kUnknown);
  CHECK(classify_file(write("broken.safetensors", "x")) ==
        FileKind::kCheckpoint);  // the loader explains
  CHECK(classify_file(std::filesystem::temp_directory_path().string()) == FileKind::kDataDir);
  CHECK(classify_file("/nonexistent/file") == FileKind::kMissing);
  CHECK(std::string(file_kind_name(FileKind::kCheckpoint)) == "checkpoint");
}

TEST_CASE("the labels file that goes with an images file") {
  const std::string images = write("t10k-images-idx3-ubyte", std::string("\x00\x00\x08\x03", 4));
  CHECK(matching_labels_path(images).empty());  // not there yet
  const std::string labels = write("t10k-labels-idx1-ubyte.gz", std::string("\x1f\x8b", 2));
  CHECK(matching_labels_path(images) == labels);
  CHECK(matching_labels_path("/tmp/no-pattern.bin").empty());
  std::filesystem::remove_all(std::filesystem::temp_directory_path() / "rrcnn_gui_test_files");
}
