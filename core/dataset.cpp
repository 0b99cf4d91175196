// Locating and loading digit datasets (see dataset.h).
#include "core/dataset.h"

#include <algorithm>
#include <sys/stat.h>

#include <cstdlib>

#include "core/cell_math.h"
#include "core/error.h"
#include "core/idx.h"

#ifndef RRCNN_SOURCE_ASSETS
#define RRCNN_SOURCE_ASSETS ""
#endif

namespace rrcnn {
namespace {

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool is_dir(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// First of name / name.gz present in dir, or "".
std::string find_file(const std::string& dir, const std::vector<std::string>& names) {
  for (const auto& n : names) {
    for (const char* ext : {"", ".gz"}) {
      const std::string p = dir + "/" + n + ext;
      if (exists(p)) return p;
    }
  }
  return "";
}

}  // namespace

std::string default_data_dir() {
  if (const char* env = std::getenv("RRCNN_ASSETS")) return env;
  return RRCNN_SOURCE_ASSETS;
}

Dataset load_idx_images(const std::string& images_path, const std::string& labels_path) {
  const IdxArray img = read_idx(images_path);
  RRCNN_CHECK(img.dims.size() == 3, images_path << ": expected an image file (N, rows, cols), got "
                                                << img.dims.size() << " dimensions");
  Dataset d;
  d.source = images_path;
  d.height = img.dims[1];
  d.width = img.dims[2];
  d.images.resize(img.data.size());
  for (size_t i = 0; i < img.data.size(); ++i) d.images[i] = float(img.data[i]) / 255.0f;
  if (!labels_path.empty()) {
    const IdxArray lab = read_idx(labels_path);
    RRCNN_CHECK(lab.dims.size() == 1, labels_path << ": expected a label file (N), got "
                                                  << lab.dims.size() << " dimensions");
    RRCNN_CHECK(lab.dims[0] == img.dims[0], labels_path << ": " << lab.dims[0] << " labels for "
                                                        << img.dims[0] << " images in " << images_path);
    d.labels = lab.data;
  }
  return d;
}

static Dataset slice(const Dataset& d, int begin, int end, const std::string& tag) {
  Dataset out;
  out.source = d.source + " [" + tag + "]";
  out.height = d.height;
  out.width = d.width;
  const size_t px = size_t(d.height) * d.width;
  out.images.assign(d.images.begin() + begin * px, d.images.begin() + end * px);
  if (!d.labels.empty()) out.labels.assign(d.labels.begin() + begin, d.labels.begin() + end);
  return out;
}

DataSplit load_data_dir(const std::string& dir) {
  RRCNN_CHECK(!dir.empty() && is_dir(dir), "data directory '" << dir << "' does not exist");
  DataSplit s;
  // The embedded subset: one file, fixed split (first 9,000 train, last 1,000 held out).
  const std::string sub = find_file(dir, {"mnist-10k-images-idx3-ubyte"});
  if (!sub.empty()) {
    Dataset all = load_idx_images(sub, find_file(dir, {"mnist-10k-labels-idx1-ubyte"}));
    const int n = all.count();
    RRCNN_CHECK(n >= 2, sub << ": needs at least 2 digits, has " << n);
    const int split = n >= 10000 ? 9000 : n * 9 / 10;
    s.train = slice(all, 0, split, "train");
    s.test = slice(all, split, n, "held out");
    return s;
  }
  // Original MNIST and Fashion-MNIST share these names (Debian's dataset-fashion-mnist too).
  const std::string tr = find_file(dir, {"train-images-idx3-ubyte", "train-images.idx3-ubyte"});
  const std::string te = find_file(dir, {"t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"});
  RRCNN_CHECK(!tr.empty() && !te.empty(),
              "data directory '" << dir << "' has no IDX digits (expected mnist-10k-images-idx3-ubyte[.gz]"
                                 << " or train-images-idx3-ubyte[.gz] and t10k-images-idx3-ubyte[.gz])");
  s.train = load_idx_images(tr, find_file(dir, {"train-labels-idx1-ubyte", "train-labels.idx1-ubyte"}));
  s.test = load_idx_images(te, find_file(dir, {"t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte"}));
  RRCNN_CHECK(s.train.height == s.test.height && s.train.width == s.test.width,
              "data directory '" << dir << "': train and test images differ in size");
  return s;
}

std::vector<float> gather_batch(const Dataset& d, const std::vector<int>& indices) {
  const size_t px = size_t(d.height) * d.width;
  std::vector<float> out(indices.size() * px);
  for (size_t i = 0; i < indices.size(); ++i) {
    RRCNN_CHECK(indices[i] >= 0 && indices[i] < d.count(),
                "sample index " << indices[i] << " outside " << d.source << " (" << d.count() << ")");
    std::copy(d.image(indices[i]), d.image(indices[i]) + px, out.begin() + i * px);
  }
  return out;
}

std::vector<int> sample_indices(int count, int batch, uint64_t seed, uint32_t episode) {
  RRCNN_CHECK(count >= 1, "cannot sample a batch from an empty dataset");
  std::vector<int> idx(batch);
  const RngKey key = rng_key(seed, RngStream::kSampleIndex);
  for (int b = 0; b < batch; ++b) {
    const Philox4 r = rng_draw(key, episode, 0, uint32_t(b), 0);
    const uint64_t wide = (uint64_t(r.v[0]) << 32) | r.v[1];
    idx[b] = int(wide % uint64_t(count));
  }
  return idx;
}

}  // namespace rrcnn
