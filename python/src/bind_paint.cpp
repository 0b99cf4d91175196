// The studio's brushes on numpy states (core/brush.h: the same geometry and per-cell edit as
// the backends) and `rrcnn render`'s picture layout and PNG/GIF writers.
#include <pybind11/stl.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common.h"
#include "core/brush.h"
#include "core/error.h"
#include "core/frames.h"
#include "core/image_io.h"
#include "core/metrics.h"

namespace rrcnn::python {
namespace {

// The studio's brush on numpy states, in place.
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

}  // namespace

void bind_paint(py::module_& m) {
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
