// Divergence in the CPU backend: a non-finite loss throws DivergedError before the update, so
// the backend still holds the last good parameters and Adam state (what `rrcnn train` saves).
#include <doctest/doctest.h>

#include <vector>

#include "core/cpu_backend.h"
#include "core/error.h"
#include "core/init.h"

using namespace rrcnn;

TEST_CASE("divergence: a non-finite loss is reported and the step is not applied") {
  ModelConfig c = model_preset("lite");
  c.height = 6;
  c.width = 5;
  c.rollout_steps = 3;
  CpuBackend be(c);
  be.set_params(init_params(be.layout(), 3));
  const int batch = 2;
  const std::vector<float> clean(size_t(batch) * c.cells(), 0.5f);
  be.train_step(clean, batch, 1, 0);  // one good step: the Adam moments are no longer zero
  // Weights of 1e20 overflow the rollout to inf and NaN: the injected fault.
  std::vector<float> huge = be.params();
  for (float& v : huge) v = 1e20f;
  be.set_params(huge);
  const AdamState adam_before = be.adam_state();
  CHECK_THROWS_WITH_AS(be.train_step(clean, batch, 1, 1),
                       doctest::Contains("training diverged: loss is"), DivergedError);
  CHECK(be.params() == huge);
  const AdamState adam_after = be.adam_state();
  CHECK(adam_after.step == adam_before.step);
  CHECK(adam_after.mu == adam_before.mu);
  CHECK(adam_after.nu == adam_before.nu);
}

TEST_CASE("errors carry the source location apart from the message") {
  try {
    RRCNN_FAIL("model.safetensors: something is wrong");
    FAIL("no throw");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "model.safetensors: something is wrong");
    CHECK(e.where().find("core/test_divergence.cpp:") == 0);
  }
}
