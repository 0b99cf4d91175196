// Digits for training, evaluation and the live view: images (N, H, W) as floats in [0, 1] and
// labels, from a directory of IDX files. Knows the embedded 10k subset (fixed split: first
// 9,000 train, last 1,000 held out), the original MNIST files and Fashion-MNIST.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rrcnn {

struct Dataset {
  std::string source;           // what was loaded, for messages and the UI
  int height = 0, width = 0;
  std::vector<float> images;    // (N, H, W), byte / 255
  std::vector<uint8_t> labels;  // (N) or empty when no label file was found
  int count() const { return height > 0 && width > 0 ? int(images.size() / (size_t(height) * width)) : 0; }
  const float* image(int i) const { return images.data() + size_t(i) * height * width; }
};

struct DataSplit {
  Dataset train, test;
};

// The directory with the embedded digits (assets/ of the source tree, or installed copy).
std::string default_data_dir();

// Loads a directory: the embedded subset (mnist-10k-*), original MNIST (train-/t10k-*) or
// Fashion-MNIST (same names), raw or .gz. Throws naming the directory and what is missing.
DataSplit load_data_dir(const std::string& dir);

// Loads one images file (and its labels file if given), e.g. from drag-and-drop.
Dataset load_idx_images(const std::string& images_path, const std::string& labels_path = "");

// Gathers samples `indices` into a (B, H, W) batch.
std::vector<float> gather_batch(const Dataset& d, const std::vector<int>& indices);

// Training batch `episode`: B indices drawn uniformly from the training set by the shared RNG.
std::vector<int> sample_indices(int count, int batch, uint64_t seed, uint32_t episode);

}  // namespace rrcnn
