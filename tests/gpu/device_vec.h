// Device arrays for the per-kernel tests: a DeviceBuffer with synchronous upload/download, and
// the report line every kernel comparison prints ("[kernel] name shape: ... OK|FAIL"), which
// tools/device/gpu_check.sh collects into its summary.
#pragma once

#include <cuda_runtime_api.h>
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "gpu/cuda_check.h"
#include "gpu/device_buffer.h"
#include "tests/gpu/compare.h"

namespace rrcnn {
namespace test {

template <typename T>
class DeviceVec {
 public:
  explicit DeviceVec(size_t n) : n_(n), buf_(DeviceBuffer<T>::allocate(n ? n : 1)) {}
  explicit DeviceVec(const std::vector<T>& host) : DeviceVec(host.size()) { upload(host); }
  void upload(const std::vector<T>& host) {
    REQUIRE(host.size() == n_);
    if (n_) RRCNN_CUDA_CHECK(cudaMemcpy(buf_.get(), host.data(), n_ * sizeof(T), cudaMemcpyHostToDevice));
    // A pageable copy may return before its DMA lands, and our kernels run on non-blocking
    // streams that do not wait for the legacy stream: wait here.
    RRCNN_CUDA_CHECK(cudaDeviceSynchronize());
  }
  std::vector<T> download() const {
    RRCNN_CUDA_CHECK(cudaDeviceSynchronize());  // the kernels ran on other streams
    std::vector<T> host(n_);
    if (n_) RRCNN_CUDA_CHECK(cudaMemcpy(host.data(), buf_.get(), n_ * sizeof(T), cudaMemcpyDeviceToHost));
    return host;
  }
  T* get() { return buf_.get(); }
  size_t size() const { return n_; }

 private:
  size_t n_;
  DeviceBuffer<T> buf_;
};

// Compares one kernel's output with its CPU twin, prints the report line, and CHECKs it.
inline bool report_kernel(const std::string& kernel, const std::string& shape,
                          const std::vector<float>& got, const std::vector<float>& ref,
                          const Tol& tol) {
  REQUIRE(got.size() == ref.size());
  const Comparison c = evaluate(kernel, got.data(), ref.data(), got.size(), tol);
  std::printf("[kernel] %-28s %-26s max abs err %-10.3g err/allowed %-9.3g %s\n", kernel.c_str(),
              shape.c_str(), c.worst_abs, c.worst_ratio, c.ok ? "OK" : "FAIL");
  std::fflush(stdout);
  INFO(c.text);
  CHECK(c.ok);
  return c.ok;
}

inline bool report_kernel_bytes(const std::string& kernel, const std::string& shape,
                                const std::vector<uint8_t>& got, const std::vector<uint8_t>& ref) {
  REQUIRE(got.size() == ref.size());
  size_t diff = 0, first = got.size();
  for (size_t i = 0; i < got.size(); ++i)
    if (got[i] != ref[i] && diff++ == 0) first = i;
  std::printf("[kernel] %-28s %-26s %zu of %zu flags differ %s\n", kernel.c_str(), shape.c_str(),
              diff, got.size(), diff ? "FAIL" : "OK");
  std::fflush(stdout);
  INFO(kernel << ": " << diff << " flags differ, first at " << first);
  CHECK(diff == 0);
  return diff == 0;
}

}  // namespace test
}  // namespace rrcnn
