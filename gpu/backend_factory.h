// Chooses and creates a backend: CUDA when asked for (or on auto when a device is present),
// the CPU backend otherwise. Public header: no CUDA or GL types, so app/ stays CUDA-free.
#pragma once

#include <memory>
#include <string>

#include "core/backend.h"

namespace rrcnn {

// Whether this build has the CUDA backend and a usable device; when not, `why` says which of
// the two is missing ("built without CUDA", "no CUDA device: <cuda error>").
bool cuda_available(std::string* why = nullptr);

// kAuto: CUDA when available, else CPU, with the reason written to *note ("CUDA unavailable
// (...): using the CPU backend"). kCuda: throws rrcnn::Error when unavailable. kCpu: CPU.
std::unique_ptr<Backend> make_backend(BackendKind kind, const ModelConfig& config,
                                      std::string* note = nullptr);

}  // namespace rrcnn
