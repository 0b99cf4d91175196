// What this machine offers the CUDA backend, told apart finely enough that a test suite skips
// only when there is nothing to test it on (no NVIDIA driver, no device) and fails when a GPU is
// there but CUDA does not work on it (driver too old, no kernel image for the GPU). The status
// line, the factory and the GPU suites all ask this. Public header: no CUDA types.
#pragma once

#include <string>

namespace rrcnn {

enum class CudaStatus {
  kReady,     // a device this build's kernels run on
  kNotBuilt,  // this build has no CUDA backend
  kNoDriver,  // no NVIDIA driver: libcuda.so.1 does not load (or is the toolkit's stub)
  kNoDevice,  // the driver loads but reports no device (none installed, or all hidden)
  kBroken,    // a driver is present but CUDA fails on it: the error says why
};

struct CudaProbe {
  CudaStatus status = CudaStatus::kNotBuilt;
  std::string detail;  // one line: the device when ready, else what is missing or failed
  bool ready() const { return status == CudaStatus::kReady; }
  // Nothing to run GPU code on: a GPU test suite may report "skipped".
  bool nothing_to_test() const {
    return status == CudaStatus::kNotBuilt || status == CudaStatus::kNoDriver ||
           status == CudaStatus::kNoDevice;
  }
};

const char* cuda_status_name(CudaStatus status);  // "ready", "no driver", ...

// Probes device 0 (loads the driver, counts devices, checks that this build's kernels load).
CudaProbe probe_cuda();

}  // namespace rrcnn
