// The slots of a StateExchange (internal to gpu/, shared by state_exchange.cpp, the producer,
// and gl_interop.cu, the consumer). Everything here is guarded by `mu`.
#pragma once

#include <cstddef>
#include <cuda_runtime_api.h>

#include <cstdint>
#include <mutex>
#include <string>

#include "gpu/cuda_handles.h"
#include "gpu/device_buffer.h"
#include "gpu/state_exchange.h"

namespace rrcnn {

struct StateExchange::Impl {
  struct Slot {
    DeviceBuffer<float> buf;
    size_t count = 0;      // floats of the snapshot in `buf`
    uint64_t serial = 0;   // publish number, 0 = never written
    CudaEvent ready;       // recorded on the backend's stream after the snapshot's copy
    CudaEvent released;    // recorded on the GL stream after the last copy out of it
    bool reading = false;  // the GL thread has queued a wait on `ready` and not yet `released`
  };
  static constexpr int kSlots = 3;

  explicit Impl(int dev) : device(dev) {}

  int device;
  mutable std::mutex mu;
  Slot slots[kSlots];  // events created on `device` (the constructor sets it first)
  int latest = -1;
  uint64_t serial = 0;
  std::string failure;
};

}  // namespace rrcnn
