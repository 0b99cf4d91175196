// Data, random streams, metrics, baselines, painting and pictures: the embedded digits, the
// project's noise stream, clipped MSE / PSNR, the classic denoisers and the `rrcnn eval` parts
// (the CLI's own code, app/cli/eval_*.cpp), the studio's brush on numpy states, and the
// picture layout and PNG/GIF writers of `rrcnn render`.
#include <pybind11/stl.h>

#include <map>
#include <memory>
#include <mutex>

#include "cli/eval_common.h"
#include "cli/eval_parts.h"
#include "common.h"
#include "core/baselines.h"
#include "core/brush.h"
#include "core/dataset.h"
#include "core/error.h"
#include "core/frames.h"
#include "core/image_io.h"
#include "core/metrics.h"
#include "core/noise.h"
#include "model_state.h"

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

float alpha_of(const py::object& alpha) {
  if (alpha.is_none()) return -1.0f;
  const float a = alpha.cast<float>();
  RRCNN_CHECK((a >= 0.0f && a <= 1.0f) || a == -1.0f,
              "noise level " << a << " is outside [0, 1] (None or -1 = random per digit)");
  return a;
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

// ---- painting: the studio's brush (core/brush.h) on numpy states, in place.
void paint(py::array states, BrushMode mode, float x, float y, float radius, const py::object& to,
           const py::object& sample, float strength, uint64_t seed, uint32_t serial, const char* what) {
  const bool ok = (states.ndim() == 4 || states.ndim() == 3) && (states.flags() & py::array::c_style) &&
                  states.writeable() && states.dtype().is(py::dtype::of<float>());
  RRCNN_CHECK(ok, what << ": states must be a writable float32 C-contiguous array (B, H, W, C) or (H, W, C), got "
                       << shape_string(states) << " " << std::string(py::str(states.dtype())));
  const bool one = states.ndim() == 3;
  const int b = one ? 1 : int(states.shape(0));
  const int h = int(states.shape(one ? 0 : 1)), w = int(states.shape(one ? 1 : 2)), c = int(states.shape(one ? 2 : 3));
  RRCNN_CHECK(c >= 1 && h >= 1 && w >= 1, what << ": empty states " << shape_string(states));
  RRCNN_CHECK(radius >= 0 && std::isfinite(radius) && std::isfinite(x) && std::isfinite(y),
              what << ": needs finite coordinates and a radius >= 0");
  BrushStroke s;
  s.mode = mode;
  s.x0 = s.x1 = x + 0.5f;  // cell centres sit at integer + 0.5 (the studio's stroke geometry)
  s.y0 = s.y1 = y + 0.5f;
  if (!to.is_none()) {
    const auto p = to.cast<std::pair<float, float>>();
    s.x1 = p.first + 0.5f;
    s.y1 = p.second + 0.5f;
  }
  s.radius = radius;
  s.strength = strength;
  s.serial = serial;
  s.sample = sample.is_none() ? -1 : sample.cast<int>();
  RRCNN_CHECK(s.sample >= -1 && s.sample < b, what << ": sample " << s.sample << " outside the batch of " << b);
  const RngKey key = rng_key(seed, RngStream::kBrush);
  float* data = static_cast<float*>(states.mutable_data());
  py::gil_scoped_release nogil;
  const int b0 = s.sample < 0 ? 0 : s.sample, b1 = s.sample < 0 ? b : s.sample + 1;
  for (int bi = b0; bi < b1; ++bi)
    for (int yy = 0; yy < h; ++yy)
      for (int xx = 0; xx < w; ++xx)
        if (brush_covers(s, xx, yy))
          brush_apply_cell(s, key, bi, xx, yy, w, c, data + ((size_t(bi) * h + yy) * w + xx) * c);
}

// ---- the `rrcnn eval` parts, run by the CLI's code on the model's backend.
struct EvalArgs {
  int count = 200, batch = 100;
  uint64_t seed = 1234;
  py::object dropout;
  std::string data, backend = "auto";
  int threads = 0;
};

py::object run_eval_part(ModelState& m, const EvalArgs& a, const std::function<EvalReport(const EvalContext&)>& part) {
  const float rate = a.dropout.is_none() ? m.ck.config.dropout_rate : a.dropout.cast<float>();
  RRCNN_CHECK(rate >= 0.0f && rate < 1.0f, "dropout " << rate << " must be in [0, 1)");
  RRCNN_CHECK(a.count >= 1 && a.batch >= 1 && a.batch <= 4096, "eval: count must be >= 1 and batch in 1..4096");
  EvalReport report;
  {
    py::gil_scoped_release nogil;
    std::shared_ptr<const DataSplit> data = data_split(a.data);
    RRCNN_CHECK(data->test.height == m.ck.config.height && data->test.width == m.ck.config.width,
                "eval: the data's digits do not fit the model's grid");
    std::lock_guard<std::mutex> lock(m.mu);
    ThreadsScope threads(a.threads);
    Backend& be = m.inference_backend(a.backend);
    EvalContext ctx{m.ck, be, *data};
    ctx.count = std::min(a.count, data->test.count());
    ctx.batch = a.batch;
    ctx.seed = a.seed;
    ctx.dropout = rate;
    report = part(ctx);
  }
  return py::module_::import("json").attr("loads")(report.json);
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
  m.def("noise_episode", &noise_episode, py::arg("alpha"), py::arg("start"),
        "The noise episode `rrcnn eval` uses for held-out digits from index `start` at level alpha (-1: random).");

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

  auto eval_doc = [](const char* what) {
    return std::string(what) +
           " Runs the CLI's own code on the first `count` held-out digits in batches of `batch` "
           "with noise seed `seed`; returns the dict `rrcnn eval --json` prints for this part.";
  };
#define RRCNN_EVAL_ARGS py::arg("count") = 200, py::arg("batch") = 100, py::arg("seed") = 1234, \
    py::arg("dropout") = py::none(), py::arg("data") = "", py::arg("backend") = "auto", py::arg("threads") = 0
  m.def("eval_baselines", [](ModelState& s, int tune_count, int count, int batch, uint64_t seed, const py::object& dropout,
                             const std::string& data, const std::string& backend, int threads) {
    RRCNN_CHECK(tune_count >= 1, "eval_baselines: tune_count must be >= 1");
    EvalArgs a{count, batch, seed, dropout, data, backend, threads};
    return run_eval_part(s, a, [&](const EvalContext& ctx) { return eval_baselines(ctx, tune_count); });
  }, py::arg("model"), py::kw_only(), py::arg("tune_count") = 1000, RRCNN_EVAL_ARGS,
     eval_doc("`rrcnn eval --baselines`: the model (1x, 2x its horizon, dropout on and off) next to the noisy "
              "input, the mean training digit, a Gaussian blur and a median filter tuned on training digits.").c_str());
  m.def("eval_persistence", [](ModelState& s, float alpha, std::vector<int> at, int count, int batch, uint64_t seed,
                               const py::object& dropout, const std::string& data, const std::string& backend, int threads) {
    for (size_t i = 0; i < at.size(); ++i)
      RRCNN_CHECK(at[i] >= 1 && (i == 0 || at[i] > at[i - 1]), "eval_persistence: at steps must be >= 1 and increase");
    const float level = alpha_of(py::float_(alpha));  // with the GIL: the part runs without it
    EvalArgs a{count, batch, seed, dropout, data, backend, threads};
    return run_eval_part(s, a, [&](const EvalContext& ctx) { return eval_persistence(ctx, level, at); });
  }, py::arg("model"), py::kw_only(), py::arg("alpha") = 0.5f, py::arg("at") = std::vector<int>{64, 256, 1024},
     RRCNN_EVAL_ARGS, eval_doc("`rrcnn eval --persistence`: PSNR after each of `at` steps.").c_str());
  m.def("eval_repair", [](ModelState& s, float alpha, py::object damage_step, py::object recover_steps, float radius,
                          int count, int batch, uint64_t seed, const py::object& dropout, const std::string& data,
                          const std::string& backend, int threads) {
    const int horizon = s.ck.config.rollout_steps;
    const int ds = damage_step.is_none() ? horizon : damage_step.cast<int>();
    const int rs = recover_steps.is_none() ? horizon : recover_steps.cast<int>();
    RRCNN_CHECK(ds >= 0 && rs >= 1 && radius >= 0, "eval_repair: damage_step >= 0, recover_steps >= 1, radius >= 0");
    const float level = alpha_of(py::float_(alpha));
    EvalArgs a{count, batch, seed, dropout, data, backend, threads};
    return run_eval_part(s, a, [&](const EvalContext& ctx) { return eval_repair(ctx, level, ds, rs, radius); });
  }, py::arg("model"), py::kw_only(), py::arg("alpha") = 0.5f, py::arg("damage_step") = py::none(),
     py::arg("recover_steps") = py::none(), py::arg("radius") = 3.0f, RRCNN_EVAL_ARGS,
     eval_doc("`rrcnn eval --repair`: erase a disc at damage_step, score the region recover_steps later.").c_str());
  m.def("eval_per_step", [](ModelState& s, std::vector<float> alphas, int steps, int count, int batch, uint64_t seed,
                            const py::object& dropout, const std::string& data, const std::string& backend, int threads) {
    for (float al : alphas) alpha_of(py::float_(al));
    RRCNN_CHECK(steps >= 1, "eval_per_step: steps must be >= 1");
    EvalArgs a{count, batch, seed, dropout, data, backend, threads};
    return run_eval_part(s, a, [&](const EvalContext& ctx) { return eval_per_step(ctx, alphas, steps); });
  }, py::arg("model"), py::kw_only(), py::arg("alphas") = std::vector<float>{0.25f, 0.5f, 0.75f},
     py::arg("steps") = 128, RRCNN_EVAL_ARGS,
     eval_doc("`rrcnn eval --per-step`: mean MSE after every step 0..steps.").c_str());
#undef RRCNN_EVAL_ARGS

  py::enum_<BrushMode>(m, "BrushMode")
      .value("draw", BrushMode::kDraw)
      .value("erase", BrushMode::kErase)
      .value("noise", BrushMode::kNoise);
  m.def("erase", [](py::array s, float x, float y, float radius, const py::object& sample, const py::object& to) {
    paint(s, BrushMode::kErase, x, y, radius, to, sample, 1.0f, 0, 0, "erase");
  }, py::arg("states"), py::arg("x"), py::arg("y"), py::arg("radius") = 3.0f, py::kw_only(),
     py::arg("sample") = py::none(), py::arg("to") = py::none(),
     R"doc(Zeroes every channel of the cells within `radius` of cell (x, y) (column, row), in place:
the studio's erase brush (damage). sample: one index of the batch (default: all); to=(x1, y1)
paints a stroke (a capsule) from (x, y) to (x1, y1).)doc");
  m.def("draw", [](py::array s, float x, float y, float radius, float strength, const py::object& sample,
                   const py::object& to) {
    paint(s, BrushMode::kDraw, x, y, radius, to, sample, strength, 0, 0, "draw");
  }, py::arg("states"), py::arg("x"), py::arg("y"), py::arg("radius") = 1.5f, py::kw_only(),
     py::arg("strength") = 1.0f, py::arg("sample") = py::none(), py::arg("to") = py::none(),
     "Raises the image channel to at least `strength` within the disc, in place (the draw brush).");
  m.def("noise_disc", [](py::array s, float x, float y, float radius, float strength, uint64_t seed,
                         uint32_t serial, const py::object& sample, const py::object& to) {
    paint(s, BrushMode::kNoise, x, y, radius, to, sample, strength, seed, serial, "noise_disc");
  }, py::arg("states"), py::arg("x"), py::arg("y"), py::arg("radius") = 3.0f, py::kw_only(),
     py::arg("strength") = 0.5f, py::arg("seed") = 0, py::arg("serial") = 0, py::arg("sample") = py::none(),
     py::arg("to") = py::none(),
     "Adds Gaussian noise of sd `strength` to the image channel within the disc, in place (the noise brush; "
     "draws from the brush stream of `seed`, stroke number `serial`).");
  m.def("disc", [](int height, int width, float x, float y, float radius) {
    BrushStroke s;
    s.x0 = s.x1 = x + 0.5f;
    s.y0 = s.y1 = y + 0.5f;
    s.radius = radius;
    std::vector<uint8_t> mask(size_t(height) * width);
    for (int p : covered_pixels(s, height, width)) mask[p] = 1;
    return to_numpy(std::move(mask), {height, width}).attr("astype")("bool");
  }, py::arg("height"), py::arg("width"), py::arg("x"), py::arg("y"), py::arg("radius"),
     "The (H, W) bool mask of the cells the brushes cover for a disc at cell (x, y).");
  m.def("repair_centre", [](const py::object& image, float ink) {
    const FloatArray a = as_floats(image, "repair_centre");
    RRCNN_CHECK(a.ndim() == 2, "repair_centre: expected one image (H, W), got " << shape_string(a));
    const CellPos c = repair_centre(a.data(), int(a.shape(0)), int(a.shape(1)), ink);
    return py::make_tuple(c.x, c.y);
  }, py::arg("clean"), py::arg("ink") = 0.5f,
     "(x, y) where `rrcnn eval --repair` erases: the ink pixel nearest the digit's centre of mass.");

  m.def("picture", [](const std::vector<py::object>& rows, int scale, int gap) {
    RRCNN_CHECK(!rows.empty(), "picture: needs at least one row");
    RRCNN_CHECK(scale >= 1 && scale <= 64 && gap >= 0, "picture: scale must be in 1..64 and gap >= 0");
    std::vector<std::vector<float>> keep;
    keep.reserve(rows.size());  // the pointers below stay valid
    std::vector<const float*> ptrs;
    int b = -1, h = 0, w = 0;
    for (const py::object& r : rows) {
      if (r.is_none()) {
        ptrs.push_back(nullptr);
        continue;
      }
      FloatArray a = as_floats(r, "picture: row");
      int rb = 0, px = 0;
      bool single = false;
      std::vector<float> img = images_of(a, "picture: row", &rb, &px, &single);
      const int rh = int(a.shape(a.ndim() == 4 ? 1 : a.ndim() - 2)), rw = int(a.shape(a.ndim() == 4 ? 2 : a.ndim() - 1));
      RRCNN_CHECK(b < 0 || (rb == b && rh == h && rw == w), "picture: rows differ in shape (" << shape_string(a) << ")");
      b = rb, h = rh, w = rw;
      keep.push_back(std::move(img));
      ptrs.push_back(keep.back().data());
    }
    RRCNN_CHECK(b > 0, "picture: every row is None");
    RgbImage img = compose_rows(ptrs, b, h, w, scale, gap);
    return to_numpy(std::move(img.rgb), {img.height, img.width, 3});
  }, py::arg("rows"), py::arg("scale") = 4, py::arg("gap") = 2,
     R"doc(The picture `rrcnn render` draws: one row per entry (images (B, H, W) or states, whose image
channel is used; None leaves a row blank), one column per digit, pixels clip(v, 0, 1) x 255
truncated, scaled by nearest neighbour. Returns RGB uint8 (height, width, 3).)doc");
  m.def("write_png", [](const std::string& path, py::array_t<uint8_t, py::array::c_style | py::array::forcecast> rgb) {
    RRCNN_CHECK(rgb.ndim() == 3 && rgb.shape(2) == 3, "write_png: expected RGB (H, W, 3) uint8, got " << shape_string(rgb));
    write_png(path, int(rgb.shape(1)), int(rgb.shape(0)), std::vector<uint8_t>(rgb.data(), rgb.data() + rgb.size()));
  }, py::arg("path"), py::arg("rgb"), "Writes an RGB picture as PNG, atomically (as the studio does).");
  m.def("write_gif", [](const std::string& path, py::array_t<uint8_t, py::array::c_style | py::array::forcecast> frames,
                        int delay) {
    RRCNN_CHECK(frames.ndim() == 4 && frames.shape(3) == 3 && frames.shape(0) >= 1,
                "write_gif: expected frames (T, H, W, 3) uint8, got " << shape_string(frames));
    RRCNN_CHECK(delay >= 1 && delay <= 6000, "write_gif: delay must be in 1..6000 hundredths of a second");
    GifWriter g(int(frames.shape(2)), int(frames.shape(1)), delay);
    const size_t per = size_t(frames.shape(1) * frames.shape(2) * 3);
    for (py::ssize_t t = 0; t < frames.shape(0); ++t)
      g.add_frame(std::vector<uint8_t>(frames.data() + t * per, frames.data() + (t + 1) * per));
    g.save(path);
  }, py::arg("path"), py::arg("frames"), py::arg("delay") = 5,
     "Writes RGB frames (T, H, W, 3) as an animated GIF (`rrcnn render`'s writer); delay in 1/100 s.");
}

}  // namespace rrcnn::python
