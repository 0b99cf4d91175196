// CUDA-GL interop (see gl_interop.h): registration write-discard, map / write / unmap per
// frame, errors turned into `false` + reason so the app can fall back to host copies.
// GL's header comes before cuda_gl_interop.h, which needs its types; no GL function is called,
// so nothing links against libGL here.
#include "gpu/gl_interop.h"

#include <GL/gl.h>
// clang-format off: cuda_gl_interop.h needs GL's types first
#include <cuda_gl_interop.h>
#include <cuda_runtime.h>
// clang-format on

#include <exception>

#include "gpu/cuda_backend.h"
#include "gpu/cuda_check.h"
#include "gpu/cuda_handles.h"
#include "gpu/launch.cuh"
#include "gpu/ops_cuda.h"

#ifndef GL_R32F
#define GL_R32F 0x822E
#endif

namespace rrcnn {
namespace {

// Texture path: texel (x, row) = state[cell (row / H, row % H, x), channel], row = b*H + y.
__global__ void write_channel_surface_kernel(size_t cells, int width, int channels, int channel,
                                             const float* __restrict__ state,
                                             cudaSurfaceObject_t surface) {
  for (size_t i = cuda::global_index(); i < cells; i += cuda::grid_stride()) {
    const int x = int(i % width), row = int(i / width);
    surf2Dwrite(state[i * channels + channel], surface, x * int(sizeof(float)), row);
  }
}

std::string error_text(cudaError_t e) {
  return std::string(cudaGetErrorName(e)) + " (" + cudaGetErrorString(e) + ")";
}

bool fail(std::string* why, const std::string& text) {
  if (why) *why = text;
  return false;
}

}  // namespace

struct GlInterop::Impl {
  GraphicsResource resource;
  bool is_texture = false;
};

GlInterop::GlInterop() : impl_(std::make_unique<Impl>()) {}
GlInterop::~GlInterop() = default;

void GlInterop::unregister() { impl_->resource.reset(); }
bool GlInterop::registered() const { return bool(impl_->resource); }

bool GlInterop::register_buffer(unsigned int gl_buffer, std::string* why) {
  unregister();
  cudaGraphicsResource_t r = nullptr;
  const cudaError_t e =
      cudaGraphicsGLRegisterBuffer(&r, GLuint(gl_buffer), cudaGraphicsRegisterFlagsWriteDiscard);
  if (e != cudaSuccess) {
    cudaGetLastError();
    return fail(why, "CUDA-GL interop unavailable: registering GL buffer " +
                         std::to_string(gl_buffer) + " failed: " + error_text(e));
  }
  impl_->resource.reset(r);
  impl_->is_texture = false;
  return true;
}

bool GlInterop::register_texture(unsigned int gl_texture, std::string* why) {
  unregister();
  cudaGraphicsResource_t r = nullptr;
  const cudaError_t e = cudaGraphicsGLRegisterImage(
      &r, GLuint(gl_texture), GL_TEXTURE_2D,
      cudaGraphicsRegisterFlagsWriteDiscard | cudaGraphicsRegisterFlagsSurfaceLoadStore);
  if (e != cudaSuccess) {
    cudaGetLastError();
    return fail(why, "CUDA-GL interop unavailable: registering GL texture " +
                         std::to_string(gl_texture) + " failed: " + error_text(e) +
                         " (needs a GL_R32F GL_TEXTURE_2D)");
  }
  impl_->resource.reset(r);
  impl_->is_texture = true;
  return true;
}

bool GlInterop::write_channel(const CudaBackend& backend, int channel, std::string* why) {
  if (!registered()) return fail(why, "CUDA-GL interop: nothing registered");
  const ModelConfig& config = backend.config();
  const int channels = config.channels;
  if (channel < 0) channel = config.image_channel();
  if (channel >= channels)
    return fail(why, "CUDA-GL interop: channel " + std::to_string(channel) + " of " +
                         std::to_string(channels));
  if (backend.batch() <= 0) return fail(why, "CUDA-GL interop: no live batch yet");
  const size_t cells = size_t(backend.batch()) * config.cells();
  const int rows = backend.batch() * config.height;
  cudaStream_t stream = static_cast<cudaStream_t>(backend.stream());
  cudaGraphicsResource_t r = impl_->resource.get();

  cudaError_t e = cudaSetDevice(backend.device());
  if (e == cudaSuccess) e = cudaGraphicsMapResources(1, &r, stream);
  if (e != cudaSuccess) {
    cudaGetLastError();
    return fail(why, "CUDA-GL interop: mapping failed: " + error_text(e));
  }
  std::string problem;
  try {
    if (impl_->is_texture) {
      cudaArray_t array = nullptr;
      RRCNN_CUDA_CHECK(cudaGraphicsSubResourceGetMappedArray(&array, r, 0, 0));
      cudaChannelFormatDesc desc;
      cudaExtent extent;
      unsigned int flags = 0;
      RRCNN_CUDA_CHECK(cudaArrayGetInfo(&desc, &extent, &flags, array));
      if (extent.width < size_t(config.width) || extent.height < size_t(rows) || desc.x != 32 ||
          desc.f != cudaChannelFormatKindFloat) {
        problem = "CUDA-GL interop: texture is " + std::to_string(extent.width) + "x" +
                  std::to_string(extent.height) + ", needs R32F " + std::to_string(config.width) +
                  "x" + std::to_string(rows);
      } else {
        cudaResourceDesc res = {};
        res.resType = cudaResourceTypeArray;
        res.res.array.array = array;
        cudaSurfaceObject_t surface = 0;
        RRCNN_CUDA_CHECK(cudaCreateSurfaceObject(&surface, &res));
        write_channel_surface_kernel<<<cuda::grid_for(cells), cuda::kBlock, 0, stream>>>(
            cells, config.width, channels, channel, backend.device_state(), surface);
        const cudaError_t launch = cudaGetLastError();
        // Destroying right after the launch is safe: the kernel holds the surface by value and
        // destruction is deferred past work already queued.
        RRCNN_CUDA_LOG(cudaDestroySurfaceObject(surface));
        RRCNN_CUDA_CHECK(launch);
      }
    } else {
      void* ptr = nullptr;
      size_t bytes = 0;
      RRCNN_CUDA_CHECK(cudaGraphicsResourceGetMappedPointer(&ptr, &bytes, r));
      if (bytes < cells * sizeof(float)) {
        problem = "CUDA-GL interop: buffer holds " + std::to_string(bytes) + " bytes, needs " +
                  std::to_string(cells * sizeof(float));
      } else {
        cuda::extract_channel(cells, channels, channel, backend.device_state(),
                              static_cast<float*>(ptr), stream);
      }
    }
  } catch (const std::exception& ex) {
    problem = ex.what();
  }
  // Unmap before GL touches the object: CUDA orders the queued writes before GL's next use.
  e = cudaGraphicsUnmapResources(1, &r, stream);
  if (e != cudaSuccess) {
    cudaGetLastError();
    if (problem.empty()) problem = "CUDA-GL interop: unmapping failed: " + error_text(e);
  }
  if (!problem.empty()) return fail(why, problem);
  return true;
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
