// CUDA-GL interop for the renderer: writes one channel of a CudaBackend's live state straight
// into a GL buffer or texture the app created, with no host copy. Public header: no CUDA or GL
// types (GL names are plain unsigned ints). Every call needs the app's GL context current.
// Per frame: write_channel() maps, writes from the device and unmaps before returning, so GL
// never draws from a mapped resource. Anything that fails (WSL, remote desktop, a non-NVIDIA GL
// driver, a texture of the wrong size) returns false with the reason and never hangs; the app
// then uses the host-copy path (Backend::image()/state()) and says so in its status line.
#pragma once

#include <memory>
#include <string>

namespace rrcnn {

class CudaBackend;

class GlInterop {
 public:
  GlInterop();
  ~GlInterop();  // unregisters: call while the GL context still exists
  GlInterop(const GlInterop&) = delete;
  GlInterop& operator=(const GlInterop&) = delete;

  // A GL buffer object (e.g. a GL_PIXEL_UNPACK_BUFFER) of at least B*H*W floats, registered
  // write-discard on the current CUDA device (use the backend's device). Replaces any earlier
  // registration.
  bool register_buffer(unsigned int gl_buffer, std::string* why = nullptr);
  // A GL_TEXTURE_2D with internal format GL_R32F, W texels wide and at least B*H tall (the
  // samples stacked vertically), written through a CUDA surface.
  bool register_texture(unsigned int gl_texture, std::string* why = nullptr);
  void unregister();
  bool registered() const;

  // Writes channel `channel` (-1: the image channel C-1) of the backend's live state as B*H rows
  // of W floats, ordered on the backend's stream. False with the reason when it cannot.
  bool write_channel(const CudaBackend& backend, int channel = -1, std::string* why = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The CUDA device that drives the current GL context (cudaGLGetDevices), else device 0 when a
// device exists; -1 when none (or built without CUDA). `why` says how it was chosen. Create the
// CudaBackend on this device so the interop can map the app's GL objects.
int cuda_display_device(std::string* why = nullptr);

}  // namespace rrcnn
