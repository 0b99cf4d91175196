// The CUDA-GL interop display path on a real GL context (headless EGL): the live state of a
// CUDA backend published by one thread (StateExchange) and copied by another into a GL buffer
// (GlInterop::copy_latest) arrives bit for bit, is never torn while both run at once, survives a
// bigger batch by re-registration, fails cleanly where it cannot work, and what it costs per
// frame against the host copy (printed, never asserted).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/cpu_backend.h"
#include "gpu/cuda_backend.h"
#include "gpu/gl_interop.h"
#include "gpu/state_exchange.h"
#include "tests/gpu/compare.h"
#include "tests/gpu/fixtures.h"
#include "tests/gpu/interop_env.h"

using namespace rrcnn;
using namespace rrcnn::test;

namespace {

// A GL buffer object of `count` floats (contents undefined), deleted with the object.
struct GlBuffer {
  explicit GlBuffer(size_t count) { g_egl->gl.GenBuffers(1, &name); resize(count); }
  ~GlBuffer() { g_egl->gl.DeleteBuffers(1, &name); }
  void resize(size_t count) {
    const GlFunctions& gl = g_egl->gl;
    gl.BindBuffer(GlFunctions::kArrayBuffer, name);
    gl.BufferData(GlFunctions::kArrayBuffer, intptr_t(count * sizeof(float)), nullptr,
                  GlFunctions::kDynamicDraw);
    gl.BindBuffer(GlFunctions::kArrayBuffer, 0);
  }
  std::vector<float> read(size_t count) const {
    const GlFunctions& gl = g_egl->gl;
    std::vector<float> out(count);
    gl.BindBuffer(GlFunctions::kArrayBuffer, name);
    gl.GetBufferSubData(GlFunctions::kArrayBuffer, 0, intptr_t(count * sizeof(float)), out.data());
    gl.BindBuffer(GlFunctions::kArrayBuffer, 0);
    return out;
  }
  void write(const std::vector<float>& v) {
    const GlFunctions& gl = g_egl->gl;
    gl.BindBuffer(GlFunctions::kArrayBuffer, name);
    gl.BufferSubData(GlFunctions::kArrayBuffer, 0, intptr_t(v.size() * sizeof(float)), v.data());
    gl.BindBuffer(GlFunctions::kArrayBuffer, 0);
  }
  unsigned int name = 0;
};

// A GL buffer of `count` floats registered with CUDA on `dev`, and the exchange that feeds it.
struct InteropRig {
  InteropRig(size_t count, int dev) : buf(count), ex(dev) {
    std::string why;
    const bool registered = interop.register_buffer(buf.name, dev, &why);
    INFO(why);
    REQUIRE(registered);
  }
  GlBuffer buf;  // first: GL deletes it only after CUDA unregistered it
  StateExchange ex;
  GlInterop interop;
};

const char* copy_name(GlInterop::Copy c) {
  switch (c) {
    case GlInterop::Copy::kCopied: return "copied";
    case GlInterop::Copy::kUnchanged: return "unchanged";
    case GlInterop::Copy::kNoSnapshot: return "no snapshot";
    case GlInterop::Copy::kFailed: return "failed";
  }
  return "?";
}

// A CUDA backend on `dev` with a live batch of `batch` digits, stepped `steps` times.
std::unique_ptr<CudaBackend> live_backend(const ModelConfig& c, int dev, int batch, int steps) {
  auto be = std::make_unique<CudaBackend>(c, dev);
  be->set_params(perturbed_params(be->layout(), uint64_t(batch)));
  be->reset(synthetic_digits(c, batch, 1), batch, -1.0f, 3, 0);
  if (steps) be->step(steps);
  return be;
}

int display_device() {
  std::string why;
  const int d = cuda_display_device(&why);
  MESSAGE("display device " << d << ": " << why);
  return d < 0 ? 0 : d;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("GL: a buffer written and read back through the EGL context") {
  GlBuffer buf(1000);
  std::vector<float> v(1000);
  for (size_t i = 0; i < v.size(); ++i) v[i] = float(i) * 0.5f - 3.0f;
  buf.write(v);
  CHECK(bitwise_equal(buf.read(v.size()), v));
  CHECK(g_egl->gl.GetError() == 0);
}

TEST_CASE("interop: the published state arrives bit for bit; a bigger batch re-registers") {
  if (!g_cuda_ready) return;
  const int dev = display_device();
  const ModelConfig c = odd_config();
  const std::unique_ptr<CudaBackend> owned = live_backend(c, dev, 2, 4);
  CudaBackend& be = *owned;
  size_t count = be.state().size();
  InteropRig rig(count, dev);
  GlBuffer& buf = rig.buf;
  StateExchange& ex = rig.ex;
  GlInterop& interop = rig.interop;
  std::string why;
  // Before anything is published there is nothing to copy (the host copy draws meanwhile).
  CHECK(interop.copy_latest(ex, count, &why) == GlInterop::Copy::kNoSnapshot);
  ex.publish(be);
  INFO("exchange failure: " << ex.failure());
  REQUIRE(ex.failure().empty());
  const GlInterop::Copy first = interop.copy_latest(ex, count, &why);
  INFO("copy: " << copy_name(first) << " " << why);
  REQUIRE(first == GlInterop::Copy::kCopied);
  CHECK(bitwise_equal(buf.read(count), be.state()));
  CHECK(interop.copy_latest(ex, count, &why) == GlInterop::Copy::kUnchanged);

  // A bigger batch: the old buffer is too small, the snapshot's size says so.
  be.reset(synthetic_digits(c, 5, 2), 5, -1.0f, 3, 1);
  be.step(2);
  ex.publish(be);
  CHECK(interop.copy_latest(ex, count, &why) == GlInterop::Copy::kNoSnapshot);
  count = be.state().size();
  interop.unregister();  // before the storage is re-specified
  buf.resize(count);
  REQUIRE(interop.register_buffer(buf.name, dev, &why));
  REQUIRE(interop.copy_latest(ex, count, &why) == GlInterop::Copy::kCopied);
  CHECK(bitwise_equal(buf.read(count), be.state()));
  CHECK(g_egl->gl.GetError() == 0);
}

TEST_CASE("interop: a publishing thread and a copying thread never tear a snapshot") {
  if (!g_cuda_ready) return;
  const int dev = display_device();
  const std::unique_ptr<CudaBackend> owned = live_backend(odd_config_2(), dev, 3, 0);
  CudaBackend& be = *owned;
  const size_t count = be.state().size();
  InteropRig rig(count, dev);
  StateExchange& ex = rig.ex;
  std::string why;
  std::mutex mu;
  std::vector<std::vector<float>> published;  // published[k] is snapshot serial k + 1
  std::atomic<bool> done{false};
  std::string sim_error;
  std::thread sim([&] {
    try {
      for (int i = 0; i < 300; ++i) {
        be.step(1);
        ex.publish(be);
        std::vector<float> s = be.state();
        std::lock_guard<std::mutex> lock(mu);
        published.push_back(std::move(s));
      }
    } catch (const std::exception& e) {
      sim_error = e.what();
    }
    done = true;
  });
  std::vector<std::pair<uint64_t, std::vector<float>>> frames;
  int failed = 0;
  while (!done) {
    const GlInterop::Copy r = rig.interop.copy_latest(ex, count, &why);
    if (r == GlInterop::Copy::kCopied)
      frames.emplace_back(rig.interop.copied_serial(), rig.buf.read(count));
    if (r == GlInterop::Copy::kFailed) ++failed;
  }
  sim.join();
  INFO("simulation thread: " << sim_error << "; copy: " << why);
  REQUIRE(sim_error.empty());
  CHECK(failed == 0);
  CHECK(ex.failure().empty());
  CHECK(!frames.empty());
  size_t torn = 0;
  uint64_t last = 0;
  for (const auto& f : frames) {
    REQUIRE(f.first >= 1);
    REQUIRE(f.first <= published.size());
    CHECK(f.first > last);  // serials only move forward
    last = f.first;
    torn += bitwise_equal(f.second, published[f.first - 1]) ? 0 : 1;
  }
  MESSAGE(frames.size() << " frames copied while 300 snapshots were published; " << torn
                        << " differ from the snapshot they name");
  CHECK(torn == 0);
}

TEST_CASE("interop: what cannot work fails cleanly, with a reason") {
  if (!g_cuda_ready) return;
  const int dev = display_device();
  GlBuffer buf(16);
  GlInterop interop;
  std::string why;
  CHECK_FALSE(interop.register_buffer(987654, dev, &why));  // no such GL buffer
  CHECK(!why.empty());
  StateExchange ex(dev);
  CHECK(interop.copy_latest(ex, 10, &why) == GlInterop::Copy::kFailed);  // nothing registered
  // A CPU live backend: no exchange is made; publishing one anyway records why, once.
  const ModelConfig c = odd_config();
  CpuBackend cpu(c);
  cpu.reset(synthetic_digits(c, 1, 0), 1, -1.0f, 0, 0);
  CHECK(make_state_exchange(cpu) == nullptr);
  ex.publish(cpu);
  CHECK(ex.failure().find("not CUDA") != std::string::npos);
  REQUIRE(interop.register_buffer(buf.name, dev, &why));
  CHECK(interop.copy_latest(ex, 16, &why) == GlInterop::Copy::kFailed);
  CHECK(why.find("not CUDA") != std::string::npos);
}

TEST_CASE("interop: cost per frame against the host copy (seed config, 8 digits)") {
  if (!g_cuda_ready) return;
  const int dev = display_device();
  const ModelConfig c = model_preset("seed");
  CudaBackend be(c, dev);
  be.reset(synthetic_digits(c, 8, 1), 8, -1.0f, 5, 0);
  be.step(1);
  const size_t count = be.state().size();
  InteropRig rig(count, dev);
  GlBuffer& buf = rig.buf;
  StateExchange& ex = rig.ex;
  GlInterop& interop = rig.interop;
  std::string why;
  const int frames = 200;
  double interop_ms = 0, interop_done_ms = 0, host_ms = 0;
  for (int i = 0; i < frames + 10; ++i) {  // the first 10 warm up
    be.step(1);
    ex.publish(be);
    be.synchronize();
    auto t0 = std::chrono::steady_clock::now();
    REQUIRE(interop.copy_latest(ex, count, &why) == GlInterop::Copy::kCopied);
    const double call = ms_since(t0);
    g_egl->gl.Finish();
    const double done = ms_since(t0);
    t0 = std::chrono::steady_clock::now();
    const std::vector<float> host = be.state();  // the host path: download, then upload
    buf.write(host);
    g_egl->gl.Finish();
    const double hosted = ms_since(t0);
    if (i >= 10) {
      interop_ms += call;
      interop_done_ms += done;
      host_ms += hosted;
    }
  }
  CHECK(bitwise_equal(buf.read(count), be.state()));
  std::printf("[interop] seed config, 8 digits (%.2f MB per frame): CUDA-GL interop %.3f ms/frame "
              "(%.3f ms until GL has it), host copy %.3f ms/frame, over %d frames\n",
              count * 4.0 / 1e6, interop_ms / frames, interop_done_ms / frames, host_ms / frames,
              frames);
}
