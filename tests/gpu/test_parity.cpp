// CUDA backend against the CPU reference, forward and backward: live states compared after
// every one of 64 steps with dropout (each step against its own scale, so an early error cannot
// hide behind a later large state), image trajectories step by step, loss and per-tensor
// gradients with injected masks, brush strokes, state access, and growth that fails half way.
// Odd small configurations and the seed configuration.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/cpu_backend.h"
#include "core/error.h"
#include "gpu/cuda_backend.h"
#include "tests/gpu/compare.h"
#include "tests/gpu/fixtures.h"

using namespace rrcnn;
using namespace rrcnn::test;

namespace {

// States along a rollout, each step against its own max|ref|: GEMM summation order is the only
// difference. Measured on the CPU, float against double over 300 steps of every config here
// stays below 4e-7 of max|ref| per step (docs/gpu-checks.md); this allows 50 times that.
const Tol kStepTol{0.0, 2e-5, 2e-4};
// Element-wise results of the same formula (noise, brush): at most the device's double
// log/cos differing in the last float bit.
const Tol kElementTol{1e-6, 0.0, 1e-6};
// Gradients after BPTT through up to 64 steps: float against double reaches 1e-5 of a tensor's
// max|g| at the seed config; this allows 20 times that.
const Tol kGradTol{0.0, 2e-4, 2e-3};

struct Pair {
  CpuBackend cpu;
  CudaBackend gpu;
  Pair(const ModelConfig& c, uint64_t param_seed) : cpu(c), gpu(c) {
    const std::vector<float> p = perturbed_params(cpu.layout(), param_seed);
    cpu.set_params(p);
    gpu.set_params(p);
  }
  // The same live batch on both, stepped `steps` times.
  void start(const std::vector<float>& clean, int batch, uint64_t seed, int steps) {
    cpu.reset(clean, batch, -1.0f, seed, 0);
    gpu.reset(clean, batch, -1.0f, seed, 0);
    cpu.step(steps);
    gpu.step(steps);
  }
};

std::vector<NamedConfig> all_configs() {
  std::vector<NamedConfig> v = small_configs();
  v.push_back(seed_config(2));
  return v;
}

}  // namespace

TEST_CASE("parameters round-trip through the device unchanged") {
  for (const NamedConfig& nc : all_configs()) {
    CudaBackend gpu(nc.config);
    CpuBackend cpu(nc.config);
    INFO(nc.name);
    CHECK(bitwise_equal(gpu.params(), cpu.params()));  // both start from init_params(seed 0)
    const std::vector<float> p = perturbed_params(gpu.layout(), 3);
    gpu.set_params(p);
    CHECK(bitwise_equal(gpu.params(), p));
  }
}

TEST_CASE("live steps match the CPU at every one of 64 steps with dropout") {
  for (const NamedConfig& nc : all_configs()) {
    INFO(nc.name);
    const ModelConfig& c = nc.config;
    Pair be(c, 1);
    const std::vector<float> clean = synthetic_digits(c, nc.batch, 1);
    be.cpu.reset(clean, nc.batch, -1.0f, 11, 3);
    be.gpu.reset(clean, nc.batch, -1.0f, 11, 3);
    // The noisy start: same counters, same formula.
    check_close(nc.name + " state after reset", be.gpu.state(), be.cpu.state(), kElementTol);
    check_close(nc.name + " image after reset", be.gpu.image(), be.cpu.image(), kElementTol);
    // One step at a time (the first launches run directly, later ones through the captured
    // graph), every state kept: the first step past tolerance is the one reported.
    std::vector<float> got, ref;
    for (int t = 1; t <= 64; ++t) {
      be.cpu.step(1);
      be.gpu.step(1);
      const std::vector<float> g = be.gpu.state(), r = be.cpu.state();
      got.insert(got.end(), g.begin(), g.end());
      ref.insert(ref.end(), r.begin(), r.end());
    }
    CHECK(be.gpu.live_step() == 64);
    check_finite(nc.name + " CUDA states", got);
    check_steps(nc.name + " live state", got, ref, be.cpu.state().size(), kStepTol);
    // n steps in one call (the graph relaunched n times) lands where n single steps do.
    be.cpu.step(16);
    be.gpu.step(16);
    check_close(nc.name + " state after 16 more steps in one call", be.gpu.state(),
                be.cpu.state(), kStepTol, {nc.batch, c.height, c.width, c.channels});
  }
}

TEST_CASE("live steps without dropout, and with a fixed noise level") {
  for (const NamedConfig& nc : small_configs()) {
    INFO(nc.name);
    Pair be(nc.config, 2);
    be.cpu.set_live_dropout(0.0f);
    be.gpu.set_live_dropout(0.0f);
    const std::vector<float> clean = synthetic_digits(nc.config, nc.batch, 4);
    be.cpu.reset(clean, nc.batch, 0.35f, 5, 0);
    be.gpu.reset(clean, nc.batch, 0.35f, 5, 0);
    check_close(nc.name + " state after reset (alpha 0.35)", be.gpu.state(), be.cpu.state(),
                kElementTol);
    be.cpu.step(10);
    be.gpu.step(10);
    check_close(nc.name + " state after 10 steps, no dropout", be.gpu.state(), be.cpu.state(),
                kStepTol);
    // Switching dropout back on mid-run changes the captured step (re-capture).
    be.cpu.set_live_dropout(0.3f);
    be.gpu.set_live_dropout(0.3f);
    be.cpu.step(5);
    be.gpu.step(5);
    check_close(nc.name + " state after 5 more steps at rate 0.3", be.gpu.state(),
                be.cpu.state(), kStepTol);
  }
}

TEST_CASE("image trajectories match, across the device read-back chunk") {
  const ModelConfig c = odd_config();
  Pair be(c, 4);
  const std::vector<float> clean = synthetic_digits(c, 3, 2);
  be.cpu.reset(clean, 3, -1.0f, 21, 1);
  be.gpu.reset(clean, 3, -1.0f, 21, 1);
  std::vector<float> traj_cpu, traj_gpu;
  be.cpu.step(300, &traj_cpu);  // 300 > 256 steps per read-back on the device
  be.gpu.step(300, &traj_gpu);
  REQUIRE(traj_gpu.size() == size_t(300) * 3 * c.cells());
  check_steps("image trajectory (300 steps)", traj_gpu, traj_cpu, size_t(3) * c.cells(), kStepTol);
  check_close("state after the trajectory", be.gpu.state(), be.cpu.state(), kStepTol);
  // Appends, as the CPU backend does.
  be.cpu.step(2, &traj_cpu);
  be.gpu.step(2, &traj_gpu);
  check_steps("appended trajectory", traj_gpu, traj_cpu, size_t(3) * c.cells(), kStepTol);
}

TEST_CASE("a batch larger than one im2col block") {
  ModelConfig c;
  c.channels = 4;
  c.perception = 6;
  c.hidden = {8};
  c.rollout_steps = 2;
  const int batch = 43;  // 43 x 784 = 33,712 cells > the 32,768-cell block
  Pair be(c, 5);
  const std::vector<float> clean = synthetic_digits(c, batch, 0);
  be.cpu.reset(clean, batch, -1.0f, 3, 0);
  be.gpu.reset(clean, batch, -1.0f, 3, 0);
  be.cpu.step(2);
  be.gpu.step(2);
  check_close("state, 43 samples, 2 steps", be.gpu.state(), be.cpu.state(), kStepTol);

  const std::vector<float> init = be.cpu.state();
  const std::vector<uint8_t> masks = random_masks(size_t(2) * batch * c.cells(), 8, 0.5f);
  std::vector<float> g_cpu, g_gpu;
  const float l_cpu = be.cpu.loss_and_grad(init, clean, batch, 2, masks, g_cpu);
  const float l_gpu = be.gpu.loss_and_grad(init, clean, batch, 2, masks, g_gpu);
  CHECK(l_gpu == doctest::Approx(l_cpu).epsilon(1e-5));
  check_params_close("gradient (43 samples)", be.gpu.layout(), g_gpu, g_cpu, kGradTol);
}

TEST_CASE("loss and per-tensor gradients match with injected masks and without dropout") {
  for (const NamedConfig& nc : all_configs()) {
    const ModelConfig& c = nc.config;
    const bool seed = c.preset == "seed";
    const int steps = seed ? 64 : c.rollout_steps + 1;
    Pair be(c, 6);
    const size_t cells = size_t(nc.batch) * c.cells();
    std::vector<float> init = random_normal(cells * c.channels, 31, 0.3f);
    const std::vector<float> clean = random_uniform(cells, 32);
    for (size_t i = 0; i < cells; ++i) init[i * c.channels + c.channels - 1] = clean[i] * 0.7f;
    for (int with_masks = 1; with_masks >= 0; --with_masks) {
      const std::string name = nc.name + (with_masks ? " masked" : " no masks");
      INFO(name);
      const std::vector<uint8_t> masks =
          with_masks ? random_masks(size_t(steps) * cells, 33, 1.0f - c.dropout_rate)
                     : std::vector<uint8_t>{};
      std::vector<float> g_cpu, g_gpu, s_cpu, s_gpu;
      const float l_cpu = be.cpu.loss_and_grad(init, clean, nc.batch, steps, masks, g_cpu, &s_cpu);
      const float l_gpu = be.gpu.loss_and_grad(init, clean, nc.batch, steps, masks, g_gpu, &s_gpu);
      INFO("loss cpu " << l_cpu << " cuda " << l_gpu);
      CHECK(std::isfinite(l_gpu));
      CHECK(l_gpu == doctest::Approx(l_cpu).epsilon(1e-4));
      check_close(name + " final state", s_gpu, s_cpu, kStepTol);
      check_finite(name + " CUDA gradient", g_gpu);
      check_params_close(name + " gradient", be.gpu.layout(), g_gpu, g_cpu, kGradTol);
      // A frozen perception kernel gets no gradient (a trained one is compared above).
      const TensorSpec& k = be.gpu.layout().perceive_kernel();
      size_t nonzero = 0;
      for (size_t i = 0; i < k.count; ++i) nonzero += g_gpu[k.offset + i] != 0.0f;
      CHECK(nonzero == (c.train_perception ? nonzero : 0));
      if (c.train_perception) CHECK(nonzero > k.count / 2);
      // Every trained tensor gets a real gradient (the perturbation made the last layer matter).
      for (const TensorSpec& t : be.gpu.layout().tensors()) {
        if (!t.trained) continue;
        double s = 0;
        for (size_t i = 0; i < t.count; ++i) s += std::fabs(g_cpu[t.offset + i]);
        INFO(name << " " << t.name << " reference gradient |sum| " << s);
        CHECK(s > 0);
      }
    }
  }
}

TEST_CASE("brush strokes match the CPU in every mode") {
  for (const NamedConfig& nc : {small_configs()[0], seed_config(3)}) {
    const ModelConfig& c = nc.config;
    Pair be(c, 7);
    const std::vector<float> start =
        random_uniform(size_t(nc.batch) * c.cells() * c.channels, 40);
    for (BrushMode mode : {BrushMode::kDraw, BrushMode::kErase, BrushMode::kNoise}) {
      for (int sample : {-1, 1}) {
        be.cpu.reset(synthetic_digits(c, nc.batch, 0), nc.batch, 0.2f, 77, 0);  // sets the seed
        be.gpu.reset(synthetic_digits(c, nc.batch, 0), nc.batch, 0.2f, 77, 0);
        be.cpu.set_state(start, nc.batch);  // keeps the seed, gives every channel a value
        be.gpu.set_state(start, nc.batch);
        BrushStroke s = test_stroke(sample, mode, c.width);
        be.cpu.brush(s);
        be.gpu.brush(s);
        s.x0 = s.x1 = 2.5f;  // a dot, too (zero-length capsule)
        s.y0 = s.y1 = 3.5f;
        s.serial = 6;
        be.cpu.brush(s);
        be.gpu.brush(s);
        const std::string name = nc.name + " brush " + brush_mode_name(mode) + " sample " +
                                 std::to_string(sample);
        const std::vector<float> ref = be.cpu.state();
        CHECK(!bitwise_equal(ref, start));  // the stroke did something
        check_close(name, be.gpu.state(), ref, mode == BrushMode::kNoise ? kElementTol : Tol{},
                    {nc.batch, c.height, c.width, c.channels});
      }
    }
  }
}

TEST_CASE("state access: set_state, state, image, set_image_channel") {
  const ModelConfig c = odd_config_2();
  CudaBackend gpu(c);
  const int batch = 3;
  const std::vector<float> s = random_normal(size_t(batch) * c.cells() * c.channels, 50, 1.0f);
  gpu.set_state(s, batch);
  CHECK(gpu.batch() == batch);
  CHECK(bitwise_equal(gpu.state(), s));
  std::vector<float> img(size_t(batch) * c.cells());
  for (size_t i = 0; i < img.size(); ++i) img[i] = s[i * c.channels + c.channels - 1];
  CHECK(bitwise_equal(gpu.image(), img));
  const std::vector<float> new_img = random_uniform(img.size(), 51);
  gpu.set_image_channel(new_img);
  CHECK(bitwise_equal(gpu.image(), new_img));
  std::vector<float> expect = s;
  for (size_t i = 0; i < img.size(); ++i) expect[i * c.channels + c.channels - 1] = new_img[i];
  CHECK(bitwise_equal(gpu.state(), expect));
  // A bigger batch reallocates the live buffers (and the captured step graph).
  const std::vector<float> s2 = random_normal(size_t(7) * c.cells() * c.channels, 52, 1.0f);
  gpu.set_state(s2, 7);
  gpu.step(1);
  CpuBackend cpu(c);
  cpu.set_state(s2, 7);
  cpu.step(1);
  check_close("state after a batch change and one step", gpu.state(), cpu.state(), kStepTol);
  CHECK(gpu.device_state() != nullptr);
}

TEST_CASE("growth that fails half way (out of memory) leaves the live batch intact") {
  const ModelConfig c = odd_config();
  Pair be(c, 8);
  be.start(synthetic_digits(c, 3, 1), 3, 5, 4);  // the live graph is captured by now
  const std::vector<float> before = be.gpu.state();
  const std::vector<float> big_clean = synthetic_digits(c, 40, 2);
  const std::vector<float> big_state(size_t(40) * c.cells() * c.channels, 0.25f);
  // The live buffers grow state, scratch, keep flags: fail the first, then the second (the new
  // state exists by then and must be dropped, the old one kept), then the third.
  for (int nth = 1; nth <= 3; ++nth) {
    INFO("allocation " << nth << " fails");
    cuda_fail_allocation_for_tests(nth);
    CHECK_THROWS_WITH_AS(be.gpu.reset(big_clean, 40, -1.0f, 5, 1),
                         doctest::Contains("cudaErrorMemoryAllocation"), Error);
    cuda_fail_allocation_for_tests(nth);
    CHECK_THROWS_AS(be.gpu.set_state(big_state, 40), Error);
    cuda_fail_allocation_for_tests(0);
    CHECK(be.gpu.batch() == 3);
    CHECK(be.gpu.live_step() == 4);
    CHECK(bitwise_equal(be.gpu.state(), before));
  }
  // The old batch steps on, through the graph it had, and still matches the CPU.
  be.cpu.step(5);
  be.gpu.step(5);
  check_close("state after failed growth and 5 more steps", be.gpu.state(), be.cpu.state(),
              kStepTol);
  // And the bigger batch works once memory is there.
  be.cpu.reset(big_clean, 40, -1.0f, 5, 1);
  be.gpu.reset(big_clean, 40, -1.0f, 5, 1);
  be.cpu.step(3);
  be.gpu.step(3);
  check_close("state of the bigger batch after 3 steps", be.gpu.state(), be.cpu.state(),
              kStepTol);
}

TEST_CASE("the live graph is captured again after the state moves, with the same results") {
  const ModelConfig c = odd_config_2();
  Pair be(c, 9);
  be.start(synthetic_digits(c, 2, 3), 2, 8, 3);  // 1st step direct, 2nd captures, 3rd relaunches
  const int64_t first = be.gpu.graph_captures();
  CHECK(first >= 1);
  be.gpu.step(2);
  be.cpu.step(2);
  CHECK(be.gpu.graph_captures() == first);  // same key: relaunched, not captured again
  // A bigger batch moves the live state: the old graph (old pointers) must never run again.
  const std::vector<float> s9 = random_normal(size_t(9) * c.cells() * c.channels, 60, 0.5f);
  be.cpu.set_state(s9, 9);
  be.gpu.set_state(s9, 9);
  std::vector<float> got, ref;
  for (int t = 0; t < 4; ++t) {
    be.cpu.step(1);
    be.gpu.step(1);
    const std::vector<float> g = be.gpu.state(), r = be.cpu.state();
    got.insert(got.end(), g.begin(), g.end());
    ref.insert(ref.end(), r.begin(), r.end());
  }
  CHECK(be.gpu.graph_captures() == first + 1);
  check_steps("live state after the move", got, ref, s9.size(), kStepTol);
}
