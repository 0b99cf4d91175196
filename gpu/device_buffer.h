// Owners of device memory and of pinned host memory (internal to gpu/). Growth-only: reserve()
// reallocates only when more is needed and then reports it, so callers that captured the old
// pointer into a CUDA graph know to capture again. Destructors log, never throw.
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <utility>

#include "gpu/cuda_check.h"

namespace rrcnn {

template <typename T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(size_t count) { reserve(count); }
  ~DeviceBuffer() { release(); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& o) noexcept { swap(o); }
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
    DeviceBuffer tmp(std::move(o));
    swap(tmp);
    return *this;
  }

  // Ensures room for `count` elements; old contents are NOT kept. Returns true when the
  // storage moved (a new pointer).
  bool reserve(size_t count) {
    if (count <= capacity_) return false;
    release();
    void* p = nullptr;
    RRCNN_CUDA_CHECK(cudaMalloc(&p, count * sizeof(T)));
    ptr_ = static_cast<T*>(p);
    capacity_ = count;
    return true;
  }

  void zero(cudaStream_t stream, size_t count) {
    if (count) RRCNN_CUDA_CHECK(cudaMemsetAsync(ptr_, 0, count * sizeof(T), stream));
  }

  T* get() { return ptr_; }
  const T* get() const { return ptr_; }
  size_t capacity() const { return capacity_; }

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
// result read-backs.
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
    release();
    void* p = nullptr;
    RRCNN_CUDA_CHECK(cudaMallocHost(&p, count * sizeof(T)));
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
