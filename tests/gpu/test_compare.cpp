// The comparison helpers of the GPU suites (compare.h) on CPU data: a check that cannot fail is
// no check, so each tightened rule is shown to reject the error it is meant to catch (a wrong
// b3[C-1] after one Adam step, an early trajectory error hidden by a later large state, NaN).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/cpu_backend.h"
#include "tests/gpu/compare.h"
#include "tests/gpu/fixtures.h"

using namespace rrcnn;
using namespace rrcnn::test;


TEST_CASE("parameter check: a wrong b3[C-1] fails, the gated Adam-flip allowance is not a hole") {
  const ModelConfig c = odd_config();
  CpuBackend cpu(c);
  const std::vector<float> before = perturbed_params(cpu.layout(), 11);
  cpu.set_params(before);
  const std::vector<float> clean = synthetic_digits(c, 3, 3);
  const TrainStepResult r = cpu.train_step(clean, 3, 42, 7);
  const std::vector<float> ref = cpu.params();
  const std::vector<float> grad = step_gradient(c, before, clean, 3, 42, 7);
  const std::vector<uint8_t> gate = adam_flip_gate(cpu.layout(), grad, 1e-4);
  const size_t b3 = cpu.layout().layer_bias(c.num_layers() - 1).offset + c.channels - 1;
  REQUIRE(gate[b3] == 0);  // the image channel's bias has a large gradient: no flip allowed

  Tol tol{0.0, 2e-4, 2e-3, 3, 2.5 * r.lr};
  tol.gate = gate.data();
  CHECK(all_ok(evaluate_params("exact", cpu.layout(), ref, ref, tol)));
  std::vector<float> ulp = ref;
  for (size_t i = 0; i < ulp.size(); ++i) ulp[i] = std::nextafter(ulp[i], i % 2 ? 1.0f : -1.0f);
  CHECK(all_ok(evaluate_params("one ulp off", cpu.layout(), ulp, ref, tol)));

  std::vector<float> wrong = ref;
  wrong[b3] = before[b3] - (ref[b3] - before[b3]);  // Adam stepped the other way
  CHECK_FALSE(all_ok(evaluate_params("b3 flipped", cpu.layout(), wrong, ref, tol)));
  wrong[b3] = before[b3];  // never updated (e.g. a kernel that skips the last element)
  CHECK_FALSE(all_ok(evaluate_params("b3 stale", cpu.layout(), wrong, ref, tol)));
  // The old rule (three outliers anywhere) let both through.
  Tol ungated = tol;
  ungated.gate = nullptr;
  CHECK(all_ok(evaluate_params("b3 stale, ungated", cpu.layout(), wrong, ref, ungated)));
}

TEST_CASE("per-step trajectory check: an early error is not hidden by a later large state") {
  const size_t frame = 4, steps = 3;
  std::vector<float> ref = {1, 0.5f, -1, 0.2f, 2, 1, -2, 0.4f, 400, 200, -400, 80};
  std::vector<float> got = ref;
  got[1] += 0.05f;  // step 1, 5% off
  const Tol tol{0.0, 2e-5, 2e-4};
  std::vector<Comparison> per;
  CHECK(evaluate_steps("traj", got, ref, frame, tol, &per) == 0);
  CHECK(per.size() == steps);
  CHECK_FALSE(per[0].ok);
  CHECK(per[1].ok);
  // Scaled by the whole trajectory's max |ref| (the old way) it passed.
  CHECK(evaluate("whole", got.data(), ref.data(), got.size(), Tol{0.0, 2e-4, 2e-3}).ok);
  CHECK(evaluate_steps("traj", ref, ref, frame, tol, nullptr) == -1);
}

TEST_CASE("NaN and Inf always fail and are named as the worst element") {
  std::vector<float> ref(10, 1.0f), got = ref;
  got[7] = NAN;
  Comparison c = evaluate("nan", got.data(), ref.data(), got.size(), Tol{1.0, 1.0, 1.0, 100, 1e9});
  CHECK_FALSE(c.ok);
  CHECK(c.worst == 7);
  CHECK(c.nonfinite == 1);
  got[7] = 1.0f;
  got[2] = INFINITY;
  c = evaluate("inf", got.data(), ref.data(), got.size(), Tol{1.0, 1.0, 1.0, 100, 1e9});
  CHECK_FALSE(c.ok);
  CHECK(c.worst == 2);
}

TEST_CASE("sensitivity slack widens only where the reference itself moved") {
  const std::vector<float> ref = {1.0f, 2.0f}, nudged = {1.0f, 2.001f};
  const std::vector<double> slack = sensitivity_slack(ref, nudged, 10.0);
  CHECK(slack[0] == 0.0);
  CHECK(slack[1] == doctest::Approx(0.01).epsilon(1e-3));
  Tol tol{0.0, 0.0, 1e-6};
  tol.slack = slack.data();
  const std::vector<float> got = {1.0f, 2.005f};
  CHECK(evaluate("slack", got.data(), ref.data(), 2, tol).ok);
  const std::vector<float> bad = {1.001f, 2.0f};
  CHECK_FALSE(evaluate("slack", bad.data(), ref.data(), 2, tol).ok);
}
