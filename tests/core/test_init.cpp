// Parameter layout and initialisation statistics.
#include <doctest/doctest.h>

#include <cmath>

#include "core/init.h"
#include "core/param_layout.h"

using namespace rrcnn;

TEST_CASE("the seed preset has 69,952 parameters, 33,088 of them trained") {
  const ParamLayout layout(model_preset("seed"));
  CHECK(layout.total() == 69952);
  CHECK(layout.trained_count() == 33088);
  CHECK(layout.perceive_kernel().count == 36864);
  CHECK(layout.find("update.layers.0.kernel").shape == std::vector<int>{64, 128});
  CHECK(layout.find("update.layers.2.kernel").shape == std::vector<int>{128, 64});
  CHECK(layout.find("update.layers.2.bias").count == 64);
  CHECK_THROWS_WITH_AS(layout.find("nope"), doctest::Contains("no parameter tensor named 'nope'"),
                       std::exception);
}

TEST_CASE("initialisation: truncated LeCun normal kernels, zero last layer, zero biases") {
  const ParamLayout layout(model_preset("seed"));
  const auto p = init_params(layout, 123);
  CHECK(init_params(layout, 123) == p);  // reproducible
  CHECK(init_params(layout, 124) != p);
  for (const TensorSpec& t : layout.tensors()) {
    CAPTURE(t.name);
    const bool last_kernel = t.name == "update.layers.2.kernel";
    if (t.shape.size() == 1 || last_kernel) {
      for (size_t i = 0; i < t.count; ++i) REQUIRE(p[t.offset + i] == 0.0f);
      continue;
    }
    int fan_in = 1;
    for (size_t d = 0; d + 1 < t.shape.size(); ++d) fan_in *= t.shape[d];
    const double sd = lecun_truncated_std(fan_in);
    double s = 0, s2 = 0, mx = 0;
    for (size_t i = 0; i < t.count; ++i) {
      const double v = p[t.offset + i];
      s += v;
      s2 += v * v;
      mx = std::max(mx, std::fabs(v));
    }
    const double mean = s / t.count, var = s2 / t.count - mean * mean;
    CHECK(std::fabs(mean) < 4 * std::sqrt(1.0 / fan_in / t.count));
    CHECK(var == doctest::Approx(1.0 / fan_in).epsilon(0.05));  // truncated variance = 1/fan_in
    CHECK(mx <= 2 * sd * (1 + 1e-6));                             // never beyond +-2 sd
    CHECK(mx > 1.9 * sd);                                         // but reaching it
  }
}
