// The hand-over of a CUDA backend's live state from the simulation thread to the GL thread, for
// the CUDA-GL interop display path (no host copy). The simulation thread publishes a device
// copy of the state plus an event after each burst of steps; the GL thread waits on that event
// on its own stream and copies the snapshot into the renderer's buffer (GlInterop::copy_latest).
// Neither thread queues work on the other's stream, and nothing the simulation thread does
// (graph capture included) waits for GL. Three snapshot slots: the latest, one the GL thread may
// still be reading, and a free one to write, so a copy never reads a half-written snapshot.
// Public header: no CUDA types.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace rrcnn {

class Backend;

class StateExchange {
 public:
  explicit StateExchange(int device);  // the device of the backends it will serve
  ~StateExchange();
  StateExchange(const StateExchange&) = delete;
  StateExchange& operator=(const StateExchange&) = delete;

  int device() const;

  // Simulation thread: snapshots `backend`'s live state (B, H, W, C), ordered after the work
  // queued on the backend's stream so far. Never throws: the first failure (not a CUDA backend,
  // a CUDA error) stops publishing for good and is kept as failure().
  void publish(const Backend& backend) noexcept;
  std::string failure() const;  // empty while all is well
  uint64_t published() const;   // snapshots published so far

  struct Impl;  // shared with gpu/gl_interop.cu, which reads the slots

 private:
  std::unique_ptr<Impl> impl_;
  friend class GlInterop;
};

// A StateExchange for `backend` when it is a CUDA backend, else nullptr (the host-copy path).
std::shared_ptr<StateExchange> make_state_exchange(const Backend& backend);

}  // namespace rrcnn
