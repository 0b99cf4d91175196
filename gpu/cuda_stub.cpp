// The gpu/ library of a build without CUDA: the public classes exist so every binary links, and
// each says "built without CUDA" (the CudaBackend constructor throws, the interop returns false,
// no state exchange is made).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>
#include "core/error.h"
#include "gpu/cuda_backend.h"
#include "gpu/cuda_probe.h"
#include "gpu/gl_interop.h"
#include "gpu/state_exchange.h"

namespace rrcnn {

namespace {
constexpr const char* kNoCuda = "built without CUDA";
}

std::string CudaDeviceInfo::summary() const { return kNoCuda; }
CudaDeviceInfo cuda_device_info(int) { RRCNN_FAIL("CUDA device info: " << kNoCuda); }
void cuda_fail_allocation_for_tests(int) {}

CudaProbe probe_cuda() {
  CudaProbe p;
  p.status = CudaStatus::kNotBuilt;
  p.detail = kNoCuda;
  return p;
}

struct CudaBackend::Impl {};

CudaBackend::CudaBackend(const ModelConfig& config, int) : Backend(config) {
  RRCNN_FAIL("CUDA backend: " << kNoCuda << " (reconfigure with the CUDA toolkit installed)");
}
CudaBackend::~CudaBackend() = default;
std::string CudaBackend::device_name() const { return kNoCuda; }
const CudaDeviceInfo& CudaBackend::info() const { RRCNN_FAIL(kNoCuda); }
int CudaBackend::device() const { return -1; }
const float* CudaBackend::device_state() const { return nullptr; }
void* CudaBackend::stream() const { return nullptr; }
double CudaBackend::peak_fp32_gflops() const { return 0.0; }
void CudaBackend::synchronize() {}
void CudaBackend::set_tf32(bool) {}
bool CudaBackend::tf32() const { return false; }
void CudaBackend::set_use_graphs(bool) {}
bool CudaBackend::use_graphs() const { return false; }
int64_t CudaBackend::graph_captures() const { return 0; }
void CudaBackend::set_params_impl(const std::vector<float>&) { RRCNN_FAIL(kNoCuda); }
std::vector<float> CudaBackend::params_impl() const { RRCNN_FAIL(kNoCuda); }
void CudaBackend::set_adam_state_impl(const AdamState&) { RRCNN_FAIL(kNoCuda); }
AdamState CudaBackend::adam_state_impl() const { RRCNN_FAIL(kNoCuda); }
void CudaBackend::reset_impl(const std::vector<float>&, float, uint64_t, uint32_t) {
  RRCNN_FAIL(kNoCuda);
}
void CudaBackend::set_image_channel_impl(const std::vector<float>&) { RRCNN_FAIL(kNoCuda); }
void CudaBackend::set_state_impl(const std::vector<float>&) { RRCNN_FAIL(kNoCuda); }
std::vector<float> CudaBackend::state_impl() const { RRCNN_FAIL(kNoCuda); }
std::vector<float> CudaBackend::image_impl() const { RRCNN_FAIL(kNoCuda); }
void CudaBackend::step_impl(int, std::vector<float>*) { RRCNN_FAIL(kNoCuda); }
void CudaBackend::brush_impl(const BrushStroke&) { RRCNN_FAIL(kNoCuda); }
TrainStepResult CudaBackend::train_step_impl(const std::vector<float>&, uint64_t, uint32_t) {
  RRCNN_FAIL(kNoCuda);
}
float CudaBackend::loss_and_grad_impl(const std::vector<float>&, const std::vector<float>&, int,
                                      int, const uint8_t*, std::vector<float>&,
                                      std::vector<float>*) {
  RRCNN_FAIL(kNoCuda);
}
TrainStepResult CudaBackend::apply_gradients_impl(const std::vector<float>&) {
  RRCNN_FAIL(kNoCuda);
}

struct GlInterop::Impl {};
GlInterop::GlInterop() = default;
GlInterop::~GlInterop() = default;
bool GlInterop::register_buffer(unsigned int, int, std::string* why) {
  if (why) *why = std::string("CUDA-GL interop unavailable: ") + kNoCuda;
  return false;
}
void GlInterop::unregister() {}
bool GlInterop::registered() const { return false; }
GlInterop::Copy GlInterop::copy_latest(StateExchange&, size_t, std::string* why) {
  if (why) *why = std::string("CUDA-GL interop unavailable: ") + kNoCuda;
  return Copy::kFailed;
}
uint64_t GlInterop::copied_serial() const { return 0; }

// No CUDA backend can exist in this build, so no exchange is ever made.
struct StateExchange::Impl {};
StateExchange::StateExchange(int) { RRCNN_FAIL("CUDA-GL state exchange: " << kNoCuda); }
StateExchange::~StateExchange() = default;
int StateExchange::device() const { return -1; }
void StateExchange::publish(const Backend&) noexcept {}
std::string StateExchange::failure() const { return kNoCuda; }
uint64_t StateExchange::published() const { return 0; }
std::shared_ptr<StateExchange> make_state_exchange(const Backend&) { return nullptr; }

int cuda_display_device(std::string* why) {
  if (why) *why = kNoCuda;
  return -1;
}

}  // namespace rrcnn
