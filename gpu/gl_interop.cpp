// CUDA-GL interop (see gl_interop.h): registration write-discard, and per frame a wait on the
// snapshot's event, map, device-to-device copy and unmap on this object's own stream. Errors
// become `false` / kFailed plus the reason so the app falls back to host copies. No GL function
// is called here (the app owns the GL objects), so nothing links against libGL; GL's header
// comes first only for the two type names cuda_gl_interop.h needs.
#include "gpu/gl_interop.h"

#include <GL/gl.h>
// clang-format off: cuda_gl_interop.h needs GL's types first
#include <cuda_gl_interop.h>
#include <cuda_runtime_api.h>
// clang-format on

#include <exception>
#include <memory>
#include <mutex>

#include "gpu/cuda_check.h"
#include "gpu/cuda_handles.h"
#include "gpu/state_exchange_impl.h"

namespace rrcnn {
namespace {

std::string error_text(cudaError_t e) {
  return std::string(cudaGetErrorName(e)) + " (" + cudaGetErrorString(e) + ")";
}

template <typename R>
R fail(std::string* why, const std::string& text, R value) {
  if (why) *why = text;
  return value;
}

}  // namespace

struct GlInterop::Impl {
  int device = -1;
  std::unique_ptr<CudaStream> stream;  // created on `device` at the first registration
  GraphicsResource resource;           // after the stream: unregistered first
  unsigned int buffer = 0;
  uint64_t copied = 0;
};

GlInterop::GlInterop() : impl_(std::make_unique<Impl>()) {}

GlInterop::~GlInterop() {
  if (impl_->stream) {
    RRCNN_CUDA_LOG(cudaSetDevice(impl_->device));
    RRCNN_CUDA_LOG(cudaStreamSynchronize(impl_->stream->get()));
  }
}

void GlInterop::unregister() {
  if (impl_->resource) {
    // No copy into the buffer may still be queued when it goes back to GL alone.
    RRCNN_CUDA_LOG(cudaSetDevice(impl_->device));
    if (impl_->stream) RRCNN_CUDA_LOG(cudaStreamSynchronize(impl_->stream->get()));
  }
  impl_->resource.reset();
  impl_->buffer = 0;
}

bool GlInterop::registered() const { return bool(impl_->resource); }
uint64_t GlInterop::copied_serial() const { return impl_->copied; }

bool GlInterop::register_buffer(unsigned int gl_buffer, int device, std::string* why) {
  unregister();
  cudaError_t e = cudaSetDevice(device);
  if (e == cudaSuccess && (!impl_->stream || impl_->device != device)) {
    try {
      impl_->stream.reset();
      impl_->stream = std::make_unique<CudaStream>();
    } catch (const std::exception& ex) {
      return fail(why, std::string("CUDA-GL interop unavailable: ") + ex.what(), false);
    }
  }
  impl_->device = device;
  cudaGraphicsResource_t r = nullptr;
  if (e == cudaSuccess)
    e = cudaGraphicsGLRegisterBuffer(&r, GLuint(gl_buffer), cudaGraphicsRegisterFlagsWriteDiscard);
  if (e != cudaSuccess) {
    cudaGetLastError();
    return fail(why, "CUDA-GL interop unavailable: registering GL buffer " +
                         std::to_string(gl_buffer) + " on CUDA device " + std::to_string(device) +
                         " failed: " + error_text(e), false);
  }
  impl_->resource.reset(r);
  impl_->buffer = gl_buffer;
  impl_->copied = 0;  // new storage: whatever it holds is not the last copy
  return true;
}

GlInterop::Copy GlInterop::copy_latest(StateExchange& exchange, size_t expected,
                                       std::string* why) {
  if (!registered()) return fail(why, "CUDA-GL interop: no buffer registered", Copy::kFailed);
  StateExchange::Impl& x = *exchange.impl_;
  if (x.device != impl_->device)
    return fail(why, "CUDA-GL interop: the snapshots are on device " + std::to_string(x.device) +
                         ", the buffer is registered on " + std::to_string(impl_->device),
                Copy::kFailed);
  const cudaStream_t stream = impl_->stream->get();
  int slot = -1;
  size_t count = 0;
  uint64_t serial = 0;
  const float* src = nullptr;
  {
    std::lock_guard<std::mutex> lock(x.mu);
    if (!x.failure.empty()) return fail(why, "CUDA-GL interop: " + x.failure, Copy::kFailed);
    if (x.latest < 0) return fail(why, "no device snapshot yet", Copy::kNoSnapshot);
    StateExchange::Impl::Slot& s = x.slots[x.latest];
    if (s.serial == impl_->copied) return Copy::kUnchanged;
    if (s.count != expected)
      return fail(why, "the device snapshot holds " + std::to_string(s.count) + " floats, the frame " +
                           std::to_string(expected), Copy::kNoSnapshot);
    cudaError_t e = cudaSetDevice(impl_->device);
    // Our stream waits for the snapshot's copy; the producer will not overwrite this slot
    // until `released` is recorded after our copy (s.reading keeps it from choosing it).
    if (e == cudaSuccess) e = cudaStreamWaitEvent(stream, s.ready.get(), 0);
    if (e != cudaSuccess) {
      cudaGetLastError();
      return fail(why, "CUDA-GL interop: waiting for the snapshot failed: " + error_text(e),
                  Copy::kFailed);
    }
    s.reading = true;
    slot = x.latest;
    count = s.count;
    serial = s.serial;
    src = s.buf.get();
  }
  cudaGraphicsResource_t r = impl_->resource.get();
  std::string problem;
  cudaError_t e = cudaGraphicsMapResources(1, &r, stream);
  const bool mapped = e == cudaSuccess;
  if (!mapped) {
    problem = "CUDA-GL interop: mapping the GL buffer failed: " + error_text(e);
  } else {
    void* dst = nullptr;
    size_t bytes = 0;
    e = cudaGraphicsResourceGetMappedPointer(&dst, &bytes, r);
    if (e != cudaSuccess)
      problem = "CUDA-GL interop: no device pointer for the GL buffer: " + error_text(e);
    else if (bytes < count * sizeof(float))
      problem = "CUDA-GL interop: the GL buffer holds " + std::to_string(bytes) +
                " bytes, the state needs " + std::to_string(count * sizeof(float));
    else if ((e = cudaMemcpyAsync(dst, src, count * sizeof(float), cudaMemcpyDeviceToDevice,
                                  stream)) != cudaSuccess)
      problem = "CUDA-GL interop: copying into the GL buffer failed: " + error_text(e);
  }
  {
    // Recorded before the unmap: the slot is free again once the copy (if any) has run.
    std::lock_guard<std::mutex> lock(x.mu);
    const cudaError_t rec = cudaEventRecord(x.slots[slot].released.get(), stream);
    x.slots[slot].reading = false;
    if (rec != cudaSuccess && problem.empty())
      problem = "CUDA-GL interop: recording the release event failed: " + error_text(rec);
  }
  if (mapped) {
    // Unmap whenever the map succeeded; CUDA orders the queued copy before GL's next use.
    const cudaError_t u = cudaGraphicsUnmapResources(1, &r, stream);
    if (u != cudaSuccess && problem.empty())
      problem = "CUDA-GL interop: unmapping failed: " + error_text(u);
  }
  if (!problem.empty()) {
    cudaGetLastError();
    return fail(why, problem, Copy::kFailed);
  }
  impl_->copied = serial;
  return Copy::kCopied;
}

int cuda_display_device(std::string* why) {
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess || count == 0) {
    cudaGetLastError();
    if (why) *why = "no CUDA device" + (e != cudaSuccess ? ": " + error_text(e) : std::string());
    return -1;
  }
  unsigned int found = 0;
  int devices[8] = {};
  e = cudaGLGetDevices(&found, devices, 8, cudaGLDeviceListAll);
  if (e == cudaSuccess && found > 0) {
    if (why) *why = "CUDA device " + std::to_string(devices[0]) + " drives the GL context";
    return devices[0];
  }
  cudaGetLastError();
  if (why)
    *why = "no GL context on a CUDA device (" +
           (e != cudaSuccess ? error_text(e) : std::string("none listed")) + "): using device 0";
  return 0;
}

}  // namespace rrcnn
