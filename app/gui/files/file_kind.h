// What a file dropped onto the window (or typed into a path field) is: a checkpoint, an IDX
// images or labels file (raw or gzip), or a directory of IDX files. Decided by the first bytes
// where possible, by the name otherwise. No window code; unit-tested.
#pragma once

#include <string>

namespace rrcnn {

enum class FileKind { kCheckpoint, kIdxImages, kIdxLabels, kDataDir, kMissing, kUnknown };

const char* file_kind_name(FileKind k);
FileKind classify_file(const std::string& path);

// The labels file next to an images file ("...images-idx3-ubyte[.gz]" ->
// "...labels-idx1-ubyte[.gz]") when it exists, else "".
std::string matching_labels_path(const std::string& images_path);

}  // namespace rrcnn
