// Owners of device memory and of pinned host memory (internal to gpu/). Growth-only and
// transactional: growing allocates the new storage before the old one is released, so an
// allocation that fails (out of memory: the GUI asked for a bigger batch) throws and leaves the
// buffer exactly as it was, never empty. Growth reports a moved pointer, so callers that
// captured the old one into a CUDA graph know to capture again. Destructors log, never throw.
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <utility>

#include "gpu/cuda_check.h"

namespace rrcnn {
namespace cuda {
bool allocation_should_fail();  // the tests' injected out-of-memory (gpu/alloc_limit.cpp)
}  // namespace cuda

template <typename T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  ~DeviceBuffer() { release(); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& o) noexcept { swap(o); }
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
    DeviceBuffer tmp(std::move(o));
    swap(tmp);
    return *this;
  }

  // A new buffer of exactly `count` elements (uninitialised); throws on failure.
  static DeviceBuffer allocate(size_t count) {
    DeviceBuffer b;
    if (count == 0) return b;
    if (cuda::allocation_should_fail())
      cuda_fail("cudaMalloc (failure injected by a test)", cudaErrorMemoryAllocation, __FILE__,
                __LINE__);
    void* p = nullptr;
    RRCNN_CUDA_CHECK(cudaMalloc(&p, count * sizeof(T)));
    b.ptr_ = static_cast<T*>(p);
    b.capacity_ = count;
    return b;
  }

  // Takes `fresh`'s storage, releasing the current one after the work queued on `stream` (the
  // only stream that may still read it; nullptr: none) has finished. cudaFree alone does not
  // promise to wait for queued kernels, so this waits explicitly.
  void adopt(DeviceBuffer&& fresh, cudaStream_t stream) {
    if (ptr_ && stream) RRCNN_CUDA_CHECK(cudaStreamSynchronize(stream));
    DeviceBuffer old(std::move(*this));
    swap(fresh);
  }

  // Ensures room for `count` elements; old contents are NOT kept. Transactional (see above).
  // Returns true when the storage moved (a new pointer).
  bool reserve(size_t count, cudaStream_t stream) {
    if (count <= capacity_) return false;
    adopt(allocate(count), stream);
    return true;
  }

  // Same, keeping the old contents (copied on `stream` before the old storage goes).
  bool reserve_keep(size_t count, cudaStream_t stream) {
    if (count <= capacity_) return false;
    DeviceBuffer fresh = allocate(count);
    if (capacity_)
      RRCNN_CUDA_CHECK(
          cudaMemcpyAsync(fresh.ptr_, ptr_, capacity_ * sizeof(T), cudaMemcpyDeviceToDevice, stream));
    adopt(std::move(fresh), stream);
    return true;
  }

  void zero(cudaStream_t stream, size_t count) {
    if (count) RRCNN_CUDA_CHECK(cudaMemsetAsync(ptr_, 0, count * sizeof(T), stream));
  }

  T* get() { return ptr_; }
  const T* get() const { return ptr_; }
  size_t capacity() const { return capacity_; }
  explicit operator bool() const { return ptr_ != nullptr; }

 private:
  void release() {
    if (ptr_) RRCNN_CUDA_LOG(cudaFree(ptr_));
    ptr_ = nullptr;
    capacity_ = 0;
  }
  void swap(DeviceBuffer& o) noexcept {
    std::swap(ptr_, o.ptr_);
    std::swap(capacity_, o.capacity_);
  }

  T* ptr_ = nullptr;
  size_t capacity_ = 0;
};

// Page-locked host memory: the source of truly asynchronous uploads and the target of small
// result read-backs. Growth is transactional as above.
template <typename T>
class PinnedBuffer {
 public:
  PinnedBuffer() = default;
  ~PinnedBuffer() { release(); }
  PinnedBuffer(const PinnedBuffer&) = delete;
  PinnedBuffer& operator=(const PinnedBuffer&) = delete;

  // Old contents are not kept. The caller makes sure no copy still reads the old storage.
  void reserve(size_t count) {
    if (count <= capacity_) return;
    void* p = nullptr;
    RRCNN_CUDA_CHECK(cudaMallocHost(&p, count * sizeof(T)));  // throws: old storage untouched
    release();
    ptr_ = static_cast<T*>(p);
    capacity_ = count;
  }
  T* get() { return ptr_; }
  size_t capacity() const { return capacity_; }

 private:
  void release() {
    if (ptr_) RRCNN_CUDA_LOG(cudaFreeHost(ptr_));
    ptr_ = nullptr;
    capacity_ = 0;
  }
  T* ptr_ = nullptr;
  size_t capacity_ = 0;
};

}  // namespace rrcnn
