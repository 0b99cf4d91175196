// Backward passes against central finite differences in double precision, per layer and for
// the whole multi-step loss (with and without dropout masks), on small odd sizes.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <random>
#include <vector>

#include "core/reference/model.h"
#include "core/ops.h"

#include "random_inputs.h"

using namespace rrcnn;

namespace {

std::vector<double> rand_d(size_t n, unsigned seed, double scale = 1.0) {
  return rrcnn_test::random_normal<double>(n, seed, scale);
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// Worst relative error of analytic[i] against the central difference of f around x[i] over the
// entries in `which`; NaN or Inf anywhere (analytic or difference) counts as an infinite error,
// so a NaN gradient can never pass. *worst_index gets the entry.
double fd_worst_error(std::vector<double>& x, const std::vector<double>& analytic,
                      const std::function<double()>& f, const std::vector<size_t>& which,
                      size_t* worst_index, double* worst_fd) {
  const double h = 1e-6;
  double worst = 0;
  for (size_t i : which) {
    const double x0 = x[i];
    x[i] = x0 + h;
    const double fp = f();
    x[i] = x0 - h;
    const double fm = f();
    x[i] = x0;
    const double fd = (fp - fm) / (2 * h);
    double err = std::fabs(fd - analytic[i]) / std::max(1.0, std::fabs(fd));
    if (!std::isfinite(err)) err = INFINITY;  // NaN compares false with everything: make it loud
    if (err > worst || (i == which.front())) {
      worst = std::max(worst, err);
      *worst_index = i;
      *worst_fd = fd;
    }
  }
  return worst;
}

// Compares analytic[i] with the central difference of f around x[i] for every i in `which`.
void check_fd(std::vector<double>& x, const std::vector<double>& analytic,
              const std::function<double()>& f, const std::vector<size_t>& which, const char* what) {
  REQUIRE(!which.empty());
  size_t at = 0;
  double fd = 0;
  const double worst = fd_worst_error(x, analytic, f, which, &at, &fd);
  INFO(what << " index " << at << ": analytic " << analytic[at] << " vs finite difference " << fd);
  CHECK(worst <= 1e-6);
  MESSAGE(what << ": worst relative error " << worst << " over " << which.size() << " entries");
}

std::vector<size_t> all(size_t n) {
  std::vector<size_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

ModelConfig tiny_config() {
  ModelConfig c;
  c.height = 5;
  c.width = 7;
  c.channels = 4;
  c.perception = 6;
  c.hidden = {8, 8};
  c.rollout_steps = 3;
  c.dropout_rate = 0.5f;
  return c;
}

}  // namespace

TEST_CASE("perception: input and kernel gradients match finite differences") {
  const GridShape g{2, 5, 7, 3};
  const int p_n = 5;
  auto s = rand_d(g.cells() * g.channels, 1);
  auto k = rand_d(9 * g.channels * p_n, 2);
  const auto r = rand_d(g.cells() * p_n, 3);  // L = <perceive(s), r>
  std::vector<double> out(g.cells() * p_n), scratch;
  auto loss = [&] {
    perceive_forward<double>(g, p_n, s.data(), k.data(), out.data(), scratch);
    return dot(out, r);
  };
  std::vector<double> ds(s.size(), 0.0), dk(k.size(), 0.0);
  perceive_backward<double>(g, p_n, r.data(), k.data(), ds.data(), scratch);
  perceive_kernel_grad<double>(g, p_n, s.data(), r.data(), dk.data(), scratch);
  check_fd(s, ds, loss, all(s.size()), "perceive dstate");
  check_fd(k, dk, loss, all(k.size()), "perceive dkernel");
}

TEST_CASE("dense + relu: weight, bias and input gradients match finite differences") {
  const size_t n = 11;
  const int in = 5, out_w = 7;
  auto x = rand_d(n * in, 4), w = rand_d(size_t(in) * out_w, 5), b = rand_d(out_w, 6);
  const auto r = rand_d(n * out_w, 7);
  std::vector<double> y(n * out_w);
  for (const bool use_relu : {false, true}) {
    CAPTURE(use_relu);
    auto loss = [&] {
      dense_forward<double>(n, in, out_w, x.data(), w.data(), b.data(), use_relu, y.data());
      return dot(y, r);
    };
    loss();
    std::vector<double> dout = r;
    if (use_relu) relu_backward_inplace<double>(dout.size(), y.data(), dout.data());
    std::vector<double> dw(w.size(), 0.0), db(b.size(), 0.0), dx(x.size());
    dense_backward<double>(n, in, out_w, x.data(), w.data(), dout.data(), dw.data(), db.data(),
                           dx.data());
    check_fd(w, dw, loss, all(w.size()), "dense dw");
    check_fd(b, db, loss, all(b.size()), "dense db");
    check_fd(x, dx, loss, all(x.size()), "dense dx");
  }
}

TEST_CASE("dropout + residual: update gradient matches finite differences") {
  const GridShape g{2, 3, 2, 3};
  auto s = rand_d(g.cells() * g.channels, 8), u = rand_d(s.size(), 9);
  const auto r = rand_d(s.size(), 10);
  std::vector<uint8_t> keep = {1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0};
  std::vector<double> next(s.size()), du(s.size());
  auto loss = [&] {
    dropout_residual_forward<double>(g, s.data(), u.data(), keep.data(), 0.6, 0.7, next.data());
    return dot(next, r);
  };
  dropout_residual_backward<double>(g, r.data(), keep.data(), 0.6, 0.7, du.data());
  check_fd(u, du, loss, all(u.size()), "dropout-residual dupdate");
}

TEST_CASE("image MSE gradient matches finite differences") {
  const GridShape g{2, 3, 4, 3};
  auto s = rand_d(g.cells() * g.channels, 11);
  const auto y = rand_d(g.cells(), 12);
  std::vector<double> ds(s.size());
  image_mse_backward<double>(g, s.data(), y.data(), ds.data());
  check_fd(s, ds, [&] { return image_mse<double>(g, s.data(), y.data()); }, all(s.size()), "mse");
}

TEST_CASE("whole model: the multi-step loss gradient matches finite differences") {
  const ModelConfig c = tiny_config();
  Model<double> model(c);
  const ParamLayout& layout = model.layout();
  const int batch = 2, steps = c.rollout_steps;
  // Random parameters everywhere, including the (normally zero) last layer, so every path
  // carries gradient.
  auto params = rand_d(layout.total(), 13, 0.4);
  const auto init = rand_d(size_t(batch) * c.cells() * c.channels, 14, 0.5);
  const auto clean = rand_d(size_t(batch) * c.cells(), 15, 0.5);
  std::vector<uint8_t> masks(size_t(steps) * batch * c.cells());
  std::mt19937 gen(16);
  for (auto& m : masks) m = uint8_t(gen() & 1);

  for (const bool with_dropout : {false, true}) {
    CAPTURE(with_dropout);
    const uint8_t* mk = with_dropout ? masks.data() : nullptr;
    std::vector<double> grad(layout.total());
    model.loss_and_grad(params.data(), batch, steps, init.data(), clean.data(), mk, 0.5,
                        grad.data());
    std::vector<double> scratch_grad(layout.total());
    auto loss = [&] {
      return model.loss_and_grad(params.data(), batch, steps, init.data(), clean.data(), mk, 0.5,
                                 scratch_grad.data());
    };
    std::vector<size_t> trained;
    for (size_t i = layout.trained_offset(); i < layout.total(); ++i) trained.push_back(i);
    check_fd(params, grad, loss, trained, with_dropout ? "model (masks)" : "model (rate 0)");
    // The frozen kernel receives no gradient, by design.
    for (size_t i = 0; i < layout.trained_offset(); ++i) REQUIRE(grad[i] == 0.0);
  }
}

TEST_CASE("whole model with a trained perception: the kernel's gradient matches finite differences") {
  ModelConfig c = tiny_config();
  c.train_perception = true;
  Model<double> model(c);
  const ParamLayout& layout = model.layout();
  REQUIRE(layout.trained_offset() == 0);
  const int batch = 2, steps = c.rollout_steps;
  auto params = rand_d(layout.total(), 23, 0.4);
  const auto init = rand_d(size_t(batch) * c.cells() * c.channels, 24, 0.5);
  const auto clean = rand_d(size_t(batch) * c.cells(), 25, 0.5);
  std::vector<uint8_t> masks(size_t(steps) * batch * c.cells());
  std::mt19937 gen(26);
  for (auto& m : masks) m = uint8_t(gen() & 1);
  for (const bool with_dropout : {false, true}) {
    CAPTURE(with_dropout);
    const uint8_t* mk = with_dropout ? masks.data() : nullptr;
    std::vector<double> grad(layout.total()), scratch_grad(layout.total());
    model.loss_and_grad(params.data(), batch, steps, init.data(), clean.data(), mk, 0.5, grad.data());
    auto loss = [&] {
      return model.loss_and_grad(params.data(), batch, steps, init.data(), clean.data(), mk, 0.5,
                                 scratch_grad.data());
    };
    // Every kernel entry (3 x 3 x 4 x 6 = 216) and every other trained tensor.
    check_fd(params, grad, loss, all(layout.total()),
             with_dropout ? "model, trained kernel (masks)" : "model, trained kernel (rate 0)");
    double kernel_sum = 0;
    for (size_t i = 0; i < layout.perceive_kernel().count; ++i) kernel_sum += std::fabs(grad[i]);
    CHECK(kernel_sum > 0);
  }
}

TEST_CASE("the finite-difference check cannot pass a NaN or Inf gradient") {
  std::vector<double> x = {0.5, -1.0, 2.0};
  const auto f = [&] { return x[0] * x[0] + 3 * x[1] + std::sin(x[2]); };
  const std::vector<double> good = {1.0, 3.0, std::cos(2.0)};
  size_t at = 0;
  double fd = 0;
  CHECK(fd_worst_error(x, good, f, all(3), &at, &fd) <= 1e-6);
  for (double bad : {double(NAN), double(INFINITY)}) {
    std::vector<double> analytic = good;
    analytic[1] = bad;
    const double worst = fd_worst_error(x, analytic, f, all(3), &at, &fd);
    CHECK_FALSE(worst <= 1e-6);
    CHECK(at == 1);
  }
}
