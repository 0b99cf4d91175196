// Data, random streams, metrics and baselines: the embedded digits, the project's noise
// stream, clipped MSE / PSNR and the classic denoisers of `rrcnn eval --baselines`.
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common.h"
#include "core/baselines.h"
#include "core/dataset.h"
#include "core/error.h"
#include "core/metrics.h"
#include "core/noise.h"

namespace rrcnn::python {

// Loaded data directories, kept for the process: the embedded digits take a moment to unzip,
// and mnist() hands out read-only views into them.
std::shared_ptr<const DataSplit> data_split(const std::string& dir_arg) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const DataSplit>> cache;
  const std::string dir = dir_arg.empty() ? default_data_dir() : dir_arg;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(dir);
  if (it != cache.end()) return it->second;
  auto d = std::make_shared<const DataSplit>(load_data_dir(dir));
  cache[dir] = d;
  return d;
}

float alpha_of(const py::object& alpha) {
  if (alpha.is_none()) return -1.0f;
  const float a = alpha.cast<float>();
  RRCNN_CHECK((a >= 0.0f && a <= 1.0f) || a == -1.0f,
              "noise level " << a << " is outside [0, 1] (None or -1 = random per digit)");
  return a;
}

// The image channel of states (B, H, W, C) when `states_ok` and the input has four axes, else
// images (B, H, W) / (H, W) as they are. Returns (batch, pixels).
std::vector<float> images_of(const FloatArray& a, const std::string& what, int* batch, int* pixels, bool* single) {
  *single = a.ndim() == 2;
  if (a.ndim() == 4) {
    const py::ssize_t c = a.shape(3);
    *batch = int(a.shape(0));
    *pixels = int(a.shape(1) * a.shape(2));
    std::vector<float> img(size_t(*batch) * *pixels);
    for (size_t i = 0; i < img.size(); ++i) img[i] = a.data()[i * c + c - 1];
    return img;
  }
  RRCNN_CHECK(a.ndim() == 2 || a.ndim() == 3,
              what << ": expected images (B, H, W), (H, W) or states (B, H, W, C), got " << shape_string(a));
  *batch = a.ndim() == 3 ? int(a.shape(0)) : 1;
  *pixels = int(a.shape(a.ndim() - 2) * a.shape(a.ndim() - 1));
  return std::vector<float>(a.data(), a.data() + a.size());
}

namespace {

py::array read_only(py::array a) {
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

py::tuple mnist(const std::string& split, const std::string& data) {
  RRCNN_CHECK(split == "train" || split == "test", "mnist: split must be 'train' or 'test', got '" << split << "'");
  std::shared_ptr<const DataSplit> d;
  {
    py::gil_scoped_release nogil;
    d = data_split(data);
  }
  const Dataset& s = split == "train" ? d->train : d->test;
  auto* keep = new std::shared_ptr<const DataSplit>(d);
  py::capsule owner(keep, [](void* p) { delete static_cast<std::shared_ptr<const DataSplit>*>(p); });
  py::array images = py::array_t<float>({py::ssize_t(s.count()), py::ssize_t(s.height), py::ssize_t(s.width)},
                                        s.images.data(), owner);
  py::array labels = py::array_t<uint8_t>({py::ssize_t(s.labels.size())}, s.labels.data(), owner);
  return py::make_tuple(read_only(images), read_only(labels));
}


py::array noisy(const py::object& images, const py::object& alpha, uint64_t seed, uint32_t episode) {
  const FloatArray x = as_floats(images, "noisy: images");
  RRCNN_CHECK(x.ndim() == 3 || x.ndim() == 2, "noisy: expected images (B, H, W) or (H, W), got " << shape_string(x));
  const int b = x.ndim() == 3 ? int(x.shape(0)) : 1;
  const int pixels = int(x.shape(x.ndim() - 2) * x.shape(x.ndim() - 1));
  const float a = alpha_of(alpha);
  std::vector<float> out(size_t(b) * pixels);
  {
    py::gil_scoped_release nogil;
    make_noisy_batch(x.data(), b, pixels, a, seed, episode, out.data());
  }
  std::vector<py::ssize_t> shape(x.shape(), x.shape() + x.ndim());
  return to_numpy(std::move(out), shape);
}


py::object per_image_mse(const py::object& x_obj, const py::object& target_obj, const char* what) {
  const FloatArray x = as_floats(x_obj, std::string(what) + ": images");
  const FloatArray t = as_floats(target_obj, std::string(what) + ": targets");
  int b = 0, px = 0, tb = 0, tpx = 0;
  bool single = false, tsingle = false;
  const std::vector<float> img = images_of(x, what, &b, &px, &single);
  const std::vector<float> tgt = images_of(t, std::string(what) + " targets", &tb, &tpx, &tsingle);
  RRCNN_CHECK(px == tpx && (b == tb || tb == 1),
              what << ": images " << shape_string(x) << " and targets " << shape_string(t) << " do not match");
  std::vector<double> mse(b);
  for (int i = 0; i < b; ++i)
    mse[i] = clipped_mse(img.data() + size_t(i) * px, tgt.data() + size_t(tb == 1 ? 0 : i) * px, size_t(px));
  if (single) return py::float_(mse[0]);
  return to_numpy(std::move(mse), {py::ssize_t(b)});
}

py::object psnr(const py::object& x, const py::object& target) {
  py::object m = per_image_mse(x, target, "psnr");
  if (py::isinstance<py::float_>(m)) return py::float_(psnr_from_mse(m.cast<double>()));
  py::array_t<double> a = m.cast<py::array_t<double>>();
  auto r = a.mutable_unchecked<1>();
  for (py::ssize_t i = 0; i < r.shape(0); ++i) r(i) = psnr_from_mse(r(i));
  return a;
}

py::dict quality(const std::vector<double>& per_digit_mse) {
  const QualitySummary q = summarize_quality(per_digit_mse);
  py::dict d;
  d["n"] = q.n;
  d["mse"] = q.mse;
  d["mse_ci95"] = py::make_tuple(q.mse_lo, q.mse_hi);
  d["psnr"] = q.psnr;
  d["psnr_ci95"] = py::make_tuple(q.psnr_lo, q.psnr_hi);
  d["digit_psnr"] = q.digit_psnr;
  d["digit_psnr_ci95"] = q.digit_psnr_ci95;
  return d;
}

// Applies `f` to every image of (B, H, W) or (H, W) float input.
py::array filter_images(const py::object& obj, const char* what, const std::function<void(const float*, int, int, float*)>& f) {
  const FloatArray x = as_floats(obj, what);
  RRCNN_CHECK(x.ndim() == 2 || x.ndim() == 3, what << ": expected images (B, H, W) or (H, W), got " << shape_string(x));
  const int h = int(x.shape(x.ndim() - 2)), w = int(x.shape(x.ndim() - 1));
  const int b = x.ndim() == 3 ? int(x.shape(0)) : 1;
  std::vector<float> out(x.size());
  {
    py::gil_scoped_release nogil;
    for (int i = 0; i < b; ++i) f(x.data() + size_t(i) * h * w, h, w, out.data() + size_t(i) * h * w);
  }
  return to_numpy(std::move(out), std::vector<py::ssize_t>(x.shape(), x.shape() + x.ndim()));
}
}  // namespace

void bind_data(py::module_& m) {
  m.def("mnist", &mnist, py::arg("split") = "train", py::arg("data") = "",
        R"doc(The digits (images (N, H, W) float32 in [0, 1], labels (N,) uint8) of a split, as read-only
views. Default: the embedded 10,000 MNIST digits (9,000 train, 1,000 held-out test); `data` names
another IDX directory (original MNIST, Fashion-MNIST), as `--data` does.)doc");
  m.def("noisy", &noisy, py::arg("images"), py::arg("alpha") = py::none(), py::arg("seed") = 0,
        py::arg("episode") = 0,
        R"doc(The project's noise stream: clip((1 - a) x + a n, 0, 1), n ~ N(0, 1) per pixel, with a = alpha or,
for alpha=None, one level per image drawn from U(0, 1) as in training. Same (seed, episode), same
noise as a backend's reset, `rrcnn render` (episode 0) and `rrcnn eval` (rrcnn.noise_episode).)doc");
  m.def("noise_levels", [](int batch, const py::object& alpha, uint64_t seed, uint32_t episode) {
    RRCNN_CHECK(batch >= 1, "noise_levels: batch must be >= 1");
    return to_numpy(batch_alphas(batch, alpha_of(alpha), seed, episode), {py::ssize_t(batch)});
  }, py::arg("batch"), py::arg("alpha") = py::none(), py::arg("seed") = 0, py::arg("episode") = 0,
     "The per-image noise levels rrcnn.noisy uses for this (batch, alpha, seed, episode).");
  m.def("keep_masks", [](int batch, int height, int width, int steps, float rate, uint64_t seed, uint32_t episode,
                         uint32_t first_step) {
    RRCNN_CHECK(batch >= 1 && height >= 1 && width >= 1 && steps >= 0, "keep_masks: sizes must be positive");
    RRCNN_CHECK(rate >= 0.0f && rate < 1.0f, "keep_masks: rate " << rate << " must be in [0, 1)");
    std::vector<uint8_t> keep(size_t(steps) * batch * height * width);
    make_keep_masks(batch, height * width, first_step, steps, rate, seed, episode, keep.data());
    return to_numpy(std::move(keep), {steps, batch, height, width});
  }, py::arg("batch"), py::arg("height"), py::arg("width"), py::arg("steps"), py::arg("rate") = 0.5f,
     py::arg("seed") = 0, py::arg("episode") = 0, py::arg("first_step") = 0,
     "The cell dropout keep flags (steps, B, H, W) of the stream (seed, episode), as uint8.");

  m.def("mse", [](const py::object& x, const py::object& t) { return per_image_mse(x, t, "mse"); },
        py::arg("images"), py::arg("targets"),
        "Per-image MSE of clip(images, 0, 1) against targets; states (B, H, W, C) use the image channel. "
        "A float for one image (H, W), else an array (B,).");
  m.def("psnr", &psnr, py::arg("images"), py::arg("targets"),
        "Per-image PSNR in dB (peak 1) of clip(images, 0, 1) against targets (99 for identical images).");
  m.def("psnr_from_mse", &psnr_from_mse, py::arg("mse"));
  m.def("summarize_quality", &quality, py::arg("per_image_mse"),
        "The dataset-level summary `rrcnn eval` prints: PSNR of the mean MSE with 95% intervals.");
  m.def("diverged", [](const py::object& s) {
    const FloatArray a = as_floats(s, "diverged: states");
    RRCNN_CHECK(a.ndim() >= 2, "diverged: expected states (B, ...), got " << shape_string(a));
    const size_t per = size_t(a.size() / std::max<py::ssize_t>(1, a.shape(0)));
    std::vector<uint8_t> d = diverged_samples(a.data(), int(a.shape(0)), per);
    return to_numpy(std::move(d), {a.shape(0)}).attr("astype")("bool");
  }, py::arg("states"), "Per sample: whether any value is non-finite or beyond the studio's divergence limit.");

  m.def("gaussian_blur", [](const py::object& x, float sigma) {
    return filter_images(x, "gaussian_blur", [sigma](const float* in, int h, int w, float* out) { gaussian_blur(in, h, w, sigma, out); });
  }, py::arg("images"), py::arg("sigma"), "The eval's Gaussian blur baseline (edge pixels repeated).");
  m.def("median_filter", [](const py::object& x, int window) {
    RRCNN_CHECK(window >= 1 && window % 2 == 1, "median_filter: window must be odd and >= 1, got " << window);
    return filter_images(x, "median_filter", [window](const float* in, int h, int w, float* out) { median_filter(in, h, w, window, out); });
  }, py::arg("images"), py::arg("window"), "The eval's median filter baseline (window x window).");
  m.def("mean_image", [](const py::object& x) {
    const FloatArray a = as_floats(x, "mean_image");
    RRCNN_CHECK(a.ndim() == 3 && a.shape(0) >= 1, "mean_image: expected images (N, H, W), got " << shape_string(a));
    return to_numpy(mean_image(a.data(), int(a.shape(0)), int(a.shape(1) * a.shape(2))), {a.shape(1), a.shape(2)});
  }, py::arg("images"), "The per-pixel mean image (the eval's mean-training-digit baseline).");
  m.def("blur_sigma_candidates", &blur_sigma_candidates);
  m.def("median_window_candidates", &median_window_candidates);
}

}  // namespace rrcnn::python
