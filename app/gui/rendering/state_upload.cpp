// The renderer's state upload by CUDA-GL interop or host copy (see state_upload.h).
#include "gui/rendering/state_upload.h"

#include <chrono>
#include <cstdio>
#include <utility>

namespace rrcnn {

void StateUpload::attach(std::shared_ptr<StateExchange> exchange, const std::string& why_not) {
  if (exchange && exchange_ && exchange->device() != exchange_->device()) interop_.unregister();
  exchange_ = std::move(exchange);
  if (!why_not.empty()) off_reason_ = why_not;
}

bool StateUpload::copy_by_interop(FloatBufferTexture& tex, size_t count) {
  std::string why;
  if (count > tex.capacity) {
    // New storage for a bigger batch: never re-specified while registered.
    interop_.unregister();
    tex.upload(nullptr, count);  // glBufferData without data, then glTexBuffer
  }
  if (!interop_.registered() && !interop_.register_buffer(tex.buffer, exchange_->device(), &why)) {
    off_reason_ = why;
    return false;
  }
  switch (interop_.copy_latest(*exchange_, count, &why)) {
    case GlInterop::Copy::kCopied:
    case GlInterop::Copy::kUnchanged:
      return true;
    case GlInterop::Copy::kNoSnapshot:  // a batch change in flight: this frame by host copy
      return false;
    case GlInterop::Copy::kFailed:
      break;
  }
  off_reason_ = why;
  interop_.unregister();
  return false;
}

void StateUpload::upload(FloatBufferTexture& tex, const SimSnapshot& snap) {
  const auto t0 = std::chrono::steady_clock::now();
  const size_t count = snap.state.size();
  const bool by_interop = !snap.from_history && exchange_ && off_reason_.empty() && copy_by_interop(tex, count);
  if (!by_interop) tex.upload(snap.state.data(), count);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  // A moving average per path: it restarts when the path changes.
  ms_per_frame_ = by_interop == interop_live_ && ms_per_frame_ > 0 ? 0.9 * ms_per_frame_ + 0.1 * ms
                                                                   : ms;
  interop_live_ = by_interop;
}

std::string StateUpload::status() const {
  char cost[48] = "";
  if (ms_per_frame_ > 0) std::snprintf(cost, sizeof cost, ", %.3f ms/frame", ms_per_frame_);
  std::string s = std::string(interop_live_ ? "CUDA-GL interop" : "host copy") + cost;
  if (!off_reason_.empty()) s += " (interop off: " + off_reason_ + ")";
  return s;
}

void StateUpload::destroy() {
  interop_.unregister();
  exchange_.reset();
  interop_live_ = false;
}

}  // namespace rrcnn
