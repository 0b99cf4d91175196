// Adam, global-norm clipping and the learning-rate schedule against hand-computed values.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/optimizer.h"

using namespace rrcnn;

TEST_CASE("linear schedule: 1e-3 at 0, 1e-4 from step 2000 on, linear in between") {
  const TrainConfig tc;
  CHECK(learning_rate(tc, 0) == doctest::Approx(1e-3));
  CHECK(learning_rate(tc, 1000) == doctest::Approx(5.5e-4));
  CHECK(learning_rate(tc, 500) == doctest::Approx(7.75e-4));
  CHECK(learning_rate(tc, 2000) == doctest::Approx(1e-4));
  CHECK(learning_rate(tc, 8191) == doctest::Approx(1e-4));
  CHECK(learning_rate(tc, -5) == doctest::Approx(1e-3));
}

TEST_CASE("clip_by_global_norm scales to norm 1 only when the norm exceeds it") {
  std::vector<float> g = {3, 4};  // norm 5
  CHECK(clip_by_global_norm(g.data(), 2, 1.0f) == doctest::Approx(5.0));
  CHECK(g[0] == doctest::Approx(0.6));
  CHECK(g[1] == doctest::Approx(0.8));
  std::vector<float> small = {0.3f, 0.4f};  // norm 0.5: untouched
  CHECK(clip_by_global_norm(small.data(), 2, 1.0f) == doctest::Approx(0.5));
  CHECK(small[0] == 0.3f);
  CHECK(small[1] == 0.4f);
}

TEST_CASE("Adam: first two updates against hand values") {
  TrainConfig tc;
  AdamState st;
  std::vector<float> p = {1.0f, -2.0f, 0.5f};
  const std::vector<float> g1 = {0.5f, -0.25f, 0.0f};
  adam_update(tc, p.data(), g1.data(), 3, st);
  // Step 1: mhat = g, vhat = g^2, update = -lr * g / (|g| + eps) = -1e-3 * sign(g).
  CHECK(p[0] == doctest::Approx(1.0 - 1e-3).epsilon(1e-6));
  CHECK(p[1] == doctest::Approx(-2.0 + 1e-3).epsilon(1e-6));
  CHECK(p[2] == 0.5f);  // zero gradient: no move
  CHECK(st.step == 1);
  const std::vector<float> g2 = {-0.5f, -0.25f, 1.0f};
  adam_update(tc, p.data(), g2.data(), 3, st);
  // Step 2 by hand for element 0: m = 0.9*0.05 + 0.1*(-0.5) = -0.005, v = 0.999*0.00025 + 0.001*0.25
  const double m = 0.9 * 0.05 + 0.1 * -0.5, v = 0.999 * 0.00025 + 0.001 * 0.25;
  const double mhat = m / (1 - 0.81), vhat = v / (1 - 0.999 * 0.999);
  const double lr = 1e-3 + (1e-4 - 1e-3) * (1.0 / 2000);
  CHECK(learning_rate(tc, 1) == doctest::Approx(lr));
  CHECK(p[0] == doctest::Approx(1.0 - 1e-3 - lr * mhat / (std::sqrt(vhat) + 1e-8)).epsilon(1e-6));
  CHECK(st.mu[0] == doctest::Approx(m));
  CHECK(st.nu[0] == doctest::Approx(v));
}

TEST_CASE("Adam rejects moments of the wrong size") {
  TrainConfig tc;
  AdamState st;
  st.mu.assign(2, 0.0f);
  st.nu.assign(2, 0.0f);
  st.step = 3;
  std::vector<float> p(3, 0.0f), g(3, 1.0f);
  CHECK_THROWS_WITH_AS(adam_update(tc, p.data(), g.data(), 3, st),
                       doctest::Contains("Adam state holds 2 moments"), std::exception);
}
