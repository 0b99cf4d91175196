// Backend selection (see backend_factory.h). One file for both builds: probe_cuda() (the real
// probe in a CUDA build, "built without CUDA" in the stub) decides, and auto falls back to the
// CPU backend with the probe's reason.
#include "gpu/backend_factory.h"

#include "core/cpu_backend.h"
#include "core/error.h"
#include "gpu/cuda_backend.h"
#include "gpu/cuda_probe.h"

namespace rrcnn {

const char* cuda_status_name(CudaStatus status) {
  switch (status) {
    case CudaStatus::kReady: return "ready";
    case CudaStatus::kNotBuilt: return "not built";
    case CudaStatus::kNoDriver: return "no driver";
    case CudaStatus::kNoDevice: return "no device";
    case CudaStatus::kBroken: return "broken";
  }
  return "?";
}

bool cuda_available(std::string* why) {
  const CudaProbe p = probe_cuda();
  if (why) *why = p.ready() ? std::string() : p.detail;
  return p.ready();
}

std::unique_ptr<Backend> make_backend(BackendKind kind, const ModelConfig& config,
                                      std::string* note) {
  if (note) note->clear();
  if (kind == BackendKind::kCpu) return std::make_unique<CpuBackend>(config);
  std::string why;
  if (kind == BackendKind::kCuda) {
    RRCNN_CHECK(cuda_available(&why), "CUDA backend requested but unavailable: "
                                          << why << " (use --backend cpu or auto)");
    return std::make_unique<CudaBackend>(config);
  }
  // kAuto: CUDA when it works, else the CPU backend, saying why.
  if (cuda_available(&why)) {
    try {
      return std::make_unique<CudaBackend>(config);
    } catch (const Error& e) {
      why = e.what();
    }
  }
  if (note) *note = "CUDA unavailable (" + why + "): using the CPU backend";
  return std::make_unique<CpuBackend>(config);
}

}  // namespace rrcnn
