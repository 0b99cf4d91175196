// What every binding file of the `rrcnn` module shares: numpy <-> std::vector conversion (moves
// results into arrays without copying), shape checks whose messages read like the CLI's, and
// the scoped CPU thread count of a call. The module is a thin layer: all math lives in core/.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/config.h"
#include "core/dataset.h"

namespace py = pybind11;

namespace rrcnn::python {

// float32, C order: a float32 C-contiguous input is read in place; anything else (float64,
// a strided view) is converted once.
using FloatArray = py::array_t<float, py::array::c_style | py::array::forcecast>;

// Hands a vector's storage to numpy: the array owns it, nothing is copied.
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& v, const std::vector<py::ssize_t>& shape) {
  auto* heap = new std::vector<T>(std::move(v));
  py::capsule owner(heap, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(shape, heap->data(), owner);
}

// "(8, 28, 28)"
std::string shape_string(const py::array& a);

// Converts to float32 C order, or raises rrcnn.Error naming `what` ("rollout: states").
FloatArray as_floats(const py::handle& obj, const std::string& what);

// A batch of images (B, H, W) or one image (H, W) of the model's grid; returns B and sets
// *single when a single image was given.
int image_batch(const FloatArray& a, const ModelConfig& c, const std::string& what, bool* single = nullptr);

// The CPU thread count for the duration of a call (threads > 0), then back to what it was:
// the pool is one per process, shared with every other caller.
class ThreadsScope {
 public:
  explicit ThreadsScope(int threads);
  ~ThreadsScope();
  ThreadsScope(const ThreadsScope&) = delete;
  ThreadsScope& operator=(const ThreadsScope&) = delete;

 private:
  int previous_ = -1;
};

// ModelConfig <-> dict {"height", "width", "channels", "perception", "hidden", "rollout_steps",
// "dropout_rate", "step_size", "preset"}. Unknown keys raise, naming the known ones.
py::dict config_to_dict(const ModelConfig& c);
ModelConfig config_from_dict(const py::dict& d);

// A data directory ("" = the embedded digits), loaded once per process and shared.
std::shared_ptr<const DataSplit> data_split(const std::string& dir);

// A noise level: None -> -1 (random per image), else in [0, 1]; raises otherwise.
float alpha_of(const py::object& alpha);
// The image channel of states (B, H, W, C), or images (B, H, W) / (H, W) as they are; sets the
// batch, the pixels per image and whether a single image was given.
std::vector<float> images_of(const FloatArray& a, const std::string& what, int* batch, int* pixels, bool* single);

void bind_data(py::module_& m);
void bind_eval(py::module_& m);
void bind_paint(py::module_& m);
void bind_model(py::module_& m);
void bind_train(py::module_& m);

}  // namespace rrcnn::python
