// CUDA-GL interop for the renderer: copies the latest device snapshot of the live state
// (gpu/state_exchange.h) straight into the GL buffer object the renderer draws the state from,
// with no host copy. Public header: no CUDA or GL types (GL names are plain unsigned ints).
// Call everything on the GL thread with the app's GL context current. The buffer is registered
// once (write-discard) and again only after its storage was re-specified (a bigger batch). Per
// frame, copy_latest waits for the snapshot's event on this object's own stream, maps, copies
// and unmaps before returning, so GL never draws from a mapped buffer and the simulation
// thread's stream is never touched. Anything that fails (WSL, remote desktop, a non-NVIDIA GL
// driver) returns false with the reason and never hangs; the app then uses the host copy and
// says so in its status line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace rrcnn {

class StateExchange;

class GlInterop {
 public:
  GlInterop();
  ~GlInterop();  // unregisters: call while the GL context still exists
  GlInterop(const GlInterop&) = delete;
  GlInterop& operator=(const GlInterop&) = delete;

  // Registers GL buffer object `gl_buffer` write-discard on CUDA device `device` (the live
  // backend's). Replaces any earlier registration. Unregister before re-specifying the buffer's
  // storage (glBufferData), then register again.
  bool register_buffer(unsigned int gl_buffer, int device, std::string* why = nullptr);
  void unregister();
  bool registered() const;

  enum class Copy {
    kCopied,     // the latest snapshot is now in the buffer
    kUnchanged,  // nothing newer than the last copy: the buffer already holds it
    kNoSnapshot, // nothing published yet, or the latest snapshot is not `expected` floats
                 // (a batch change in flight): use the host copy this frame
    kFailed,     // mapping or copying failed (`why`): use the host copy from now on
  };
  // Copies the latest snapshot of `exchange`, when it holds `expected` floats, into the
  // registered buffer (which must hold at least that many).
  Copy copy_latest(StateExchange& exchange, size_t expected, std::string* why = nullptr);
  uint64_t copied_serial() const;  // publish number of the snapshot last copied

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The CUDA device that drives the current GL context (cudaGLGetDevices), else device 0 when a
// device exists; -1 when none (or built without CUDA). `why` says how it was chosen.
int cuda_display_device(std::string* why = nullptr);

}  // namespace rrcnn
