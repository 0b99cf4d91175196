// The CUDA probe and the paths taken without a usable device, on whatever machine runs this:
// on one without a driver (CI) the no-driver path, under CUDA_VISIBLE_DEVICES=-1 on a GPU
// machine the no-device path (the `gpu_no_device` CTest entry), with a GPU the ready path.
#include <doctest/doctest.h>
#include <dlfcn.h>

#include <cstdlib>
#include <string>

#include "core/config.h"
#include "core/error.h"
#include "gpu/backend_factory.h"
#include "gpu/cuda_backend.h"
#include "gpu/cuda_probe.h"
#include "gpu/gl_interop.h"

using namespace rrcnn;

namespace {

bool driver_loads() { return dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL) != nullptr; }

bool expect_no_device() {
  const char* v = std::getenv("RRCNN_EXPECT_NO_DEVICE");
  return v && std::string(v) == "1";
}

}  // namespace

TEST_CASE("the probe tells no driver, no device and a broken setup apart") {
  const CudaProbe p = probe_cuda();
  INFO("status " << cuda_status_name(p.status) << ": " << p.detail);
  CHECK(!p.detail.empty());
  if (p.status != CudaStatus::kNotBuilt && !driver_loads()) {
    // What CI sees: cudaErrorInsufficientDriver from a runtime with no libcuda at all.
    CHECK(p.status == CudaStatus::kNoDriver);
    CHECK(p.detail.find("libcuda.so.1") != std::string::npos);
  }
  if (p.status == CudaStatus::kNoDriver) CHECK(p.nothing_to_test());
  if (p.status == CudaStatus::kNoDevice) CHECK(p.nothing_to_test());
  if (p.status == CudaStatus::kBroken) CHECK_FALSE(p.nothing_to_test());  // a real failure
  if (expect_no_device()) {
    // CUDA_VISIBLE_DEVICES=-1 hides every device: a clean "nothing to test", never "broken".
    CHECK(p.nothing_to_test());
    CHECK_FALSE(p.ready());
  }
  CHECK(cuda_available() == p.ready());
}

TEST_CASE("without a usable device: auto falls back to the CPU and says why, cuda refuses") {
  const CudaProbe p = probe_cuda();
  if (p.ready()) return;  // the ready path is the next test case
  const ModelConfig config = model_preset("lite");
  std::string note;
  const auto be = make_backend(BackendKind::kAuto, config, &note);
  CHECK(be->name() == "cpu");
  INFO("note: " << note);
  CHECK(note.find("using the CPU backend") != std::string::npos);
  CHECK(note.find(p.detail) != std::string::npos);
  CHECK_THROWS_WITH_AS(make_backend(BackendKind::kCuda, config),
                       doctest::Contains("--backend cpu"), Error);
  CHECK_THROWS_AS(CudaBackend{config}, Error);  // an error, never a crash or a hang
  CHECK(make_backend(BackendKind::kCpu, config)->name() == "cpu");

  GlInterop interop;
  std::string why;
  CHECK_FALSE(interop.register_buffer(1, 0, &why));
  CHECK(!why.empty());
  CHECK(cuda_display_device(&why) == -1);
}

TEST_CASE("with a usable device: auto picks CUDA without a note") {
  const CudaProbe p = probe_cuda();
  if (!p.ready()) return;
  std::string note;
  const auto be = make_backend(BackendKind::kAuto, model_preset("lite"), &note);
  CHECK(be->name() == "cuda");
  CHECK(note.empty());
}
