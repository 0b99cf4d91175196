// The `rrcnn._rrcnn` extension: exceptions, threads and the three binding groups (data and
// metrics, the model and its rollouts, training). rrcnn/__init__.py re-exports it with the
// pure-Python conveniences (parameter mapping, plots).
#include <sstream>
#include <string>

#include "common.h"
#include "core/dataset.h"
#include "core/error.h"
#include "core/parallel.h"
#include "gpu/backend_factory.h"

namespace rrcnn::python {

std::string shape_string(const py::array& a) {
  std::ostringstream os;
  os << "(";
  for (py::ssize_t i = 0; i < a.ndim(); ++i) os << (i ? ", " : "") << a.shape(i);
  os << (a.ndim() == 1 ? ",)" : ")");
  return os.str();
}

FloatArray as_floats(const py::handle& obj, const std::string& what) {
  FloatArray a = FloatArray::ensure(obj);
  if (!a) {
    PyErr_Clear();
    RRCNN_FAIL(what << ": expected a numpy array of numbers, got " << std::string(py::str(py::type::of(obj).attr("__name__"))));
  }
  return a;
}

int image_batch(const FloatArray& a, const ModelConfig& c, const std::string& what, bool* single) {
  const bool one = a.ndim() == 2;
  RRCNN_CHECK((a.ndim() == 3 || one) && a.shape(a.ndim() - 2) == c.height && a.shape(a.ndim() - 1) == c.width,
              what << ": expected images (B, " << c.height << ", " << c.width << "), got " << shape_string(a));
  if (single) *single = one;
  return one ? 1 : int(a.shape(0));
}

ThreadsScope::ThreadsScope(int threads) {
  RRCNN_CHECK(threads >= 0 && threads <= 256, "threads " << threads << " must be in 0..256 (0: the current setting)");
  if (threads > 0) {
    previous_ = num_threads();
    set_num_threads(threads);
  }
}

ThreadsScope::~ThreadsScope() {
  if (previous_ >= 0) set_num_threads(previous_);
}

}  // namespace rrcnn::python

PYBIND11_MODULE(_rrcnn, m) {
  namespace rp = rrcnn::python;
  m.doc() = "RRCNN Studio's engine: backends, checkpoints, random streams, training and metrics";
  // rrcnn.Error carries the CLI's one-line message; DivergedError: a training step produced a
  // non-finite loss or gradient and was not applied.
  // Translators run newest first, so the subclass is registered after its base.
  auto& error = py::register_exception<rrcnn::Error>(m, "Error", PyExc_RuntimeError);
  py::register_exception<rrcnn::DivergedError>(m, "DivergedError", error.ptr());

  m.def("num_threads", &rrcnn::num_threads, "CPU threads the backends use (default: all cores).");
  m.def("set_num_threads", &rrcnn::set_num_threads, py::arg("n"),
        "Sets the CPU threads for later calls (0: all cores). One pool serves the whole process.");
  m.def("cuda_available", [] {
    std::string why;
    const bool ok = rrcnn::cuda_available(&why);
    return py::make_tuple(ok, why);
  }, "(available, why not): whether this build has the CUDA backend and a usable device.");
  m.def("_default_assets", &rrcnn::default_data_dir);
  rp::bind_data(m);
  rp::bind_eval(m);
  rp::bind_paint(m);
  rp::bind_model(m);
  rp::bind_train(m);
}
