// How the live state reaches the renderer's state buffer (CellRenderer's buffer texture):
// through CUDA-GL interop when the live backend runs on CUDA (the simulation thread publishes
// device snapshots, gpu/state_exchange.h; this copies the latest into the registered GL buffer,
// gpu/gl_interop.h), else as a host copy of the snapshot (glBufferSubData). The same buffer and
// shaders either way. Chosen when the live view starts (attach); when registering or mapping
// fails, the host copy takes over for the rest of the session and the reason is kept. The
// status line shows which path is live and its cost per frame (GL-thread time of the upload).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "gpu/gl_interop.h"
#include "gpu/state_exchange.h"
#include "gui/rendering/gl_util.h"
#include "gui/live/live_sim.h"

namespace rrcnn {

class StateUpload {
 public:
  // The live view's exchange, or nullptr when its backend is not CUDA (host copy); `why_not`
  // says why there is none when there should have been one.
  void attach(std::shared_ptr<StateExchange> exchange, const std::string& why_not = "");
  // Fills `tex` with the snapshot's state (B, H, W, C) by the live path.
  void upload(FloatBufferTexture& tex, const SimSnapshot& snap);
  // "CUDA-GL interop, 0.031 ms/frame" or "host copy, 0.212 ms/frame (interop off: <why>)".
  std::string status() const;
  void destroy();  // unregisters the GL buffer; call while the GL context exists

 private:
  bool copy_by_interop(FloatBufferTexture& tex, size_t count);

  std::shared_ptr<StateExchange> exchange_;
  GlInterop interop_;
  std::string off_reason_;  // why the interop was turned off (empty while it may run)
  bool interop_live_ = false;
  double ms_per_frame_ = 0;
};

}  // namespace rrcnn
