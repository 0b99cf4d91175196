// The producer side of the CUDA-GL hand-over (see state_exchange.h); the consumer side is
// GlInterop::copy_latest in gl_interop.cu.
#include "gpu/state_exchange.h"

#include <exception>
#include <mutex>

#include "core/backend.h"
#include "core/error.h"
#include "gpu/cuda_backend.h"
#include "gpu/cuda_check.h"
#include "gpu/state_exchange_impl.h"

namespace rrcnn {
namespace {

// Creates the slots' events on `device`: events belong to the device current when created.
std::unique_ptr<StateExchange::Impl> make_impl(int device) {
  RRCNN_CUDA_CHECK(cudaSetDevice(device));
  return std::make_unique<StateExchange::Impl>(device);
}

}  // namespace

StateExchange::StateExchange(int device) : impl_(make_impl(device)) {}

StateExchange::~StateExchange() {
  // The last copies out of the slots (GL stream) and into them (backend stream) must be done
  // before their memory goes.
  RRCNN_CUDA_LOG(cudaSetDevice(impl_->device));
  for (Impl::Slot& s : impl_->slots) {
    RRCNN_CUDA_LOG(cudaEventSynchronize(s.ready.get()));
    RRCNN_CUDA_LOG(cudaEventSynchronize(s.released.get()));
  }
}

int StateExchange::device() const { return impl_->device; }

std::string StateExchange::failure() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->failure;
}

uint64_t StateExchange::published() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->serial;
}

void StateExchange::publish(const Backend& backend) noexcept {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> lock(m.mu);
  if (!m.failure.empty()) return;
  try {
    const auto* cuda = dynamic_cast<const CudaBackend*>(&backend);
    RRCNN_CHECK(cuda, "the live backend is '" << backend.name() << "', not CUDA");
    RRCNN_CHECK(cuda->device() == m.device,
                "the live backend runs on CUDA device " << cuda->device() << ", the display on "
                                                        << m.device);
    const size_t count = backend.batch() > 0 ? size_t(backend.batch()) *
                                                   backend.config().cells() *
                                                   backend.config().channels
                                             : 0;
    if (count == 0) return;  // no live batch yet: nothing to show
    // A slot that is neither the latest nor being read: with three there always is one.
    int w = 0;
    while (w == m.latest || m.slots[w].reading) ++w;
    Impl::Slot& slot = m.slots[w];
    RRCNN_CUDA_CHECK(cudaSetDevice(m.device));
    const cudaStream_t stream = static_cast<cudaStream_t>(cuda->stream());
    if (slot.buf.capacity() < count) {
      // The old storage may still be the target of our last copy or the source of a GL-side
      // copy: wait for both, then grow.
      RRCNN_CUDA_CHECK(cudaEventSynchronize(slot.ready.get()));
      RRCNN_CUDA_CHECK(cudaEventSynchronize(slot.released.get()));
      slot.buf.reserve(count, nullptr);
    }
    // Not before the GL thread's last copy out of this slot has run.
    RRCNN_CUDA_CHECK(cudaStreamWaitEvent(stream, slot.released.get(), 0));
    RRCNN_CUDA_CHECK(cudaMemcpyAsync(slot.buf.get(), cuda->device_state(), count * sizeof(float),
                                     cudaMemcpyDeviceToDevice, stream));
    RRCNN_CUDA_CHECK(cudaEventRecord(slot.ready.get(), stream));
    slot.count = count;
    slot.serial = ++m.serial;
    m.latest = w;
  } catch (const std::exception& e) {
    m.failure = e.what();
  }
}

std::shared_ptr<StateExchange> make_state_exchange(const Backend& backend) {
  const auto* cuda = dynamic_cast<const CudaBackend*>(&backend);
  if (!cuda) return nullptr;
  return std::make_shared<StateExchange>(cuda->device());
}

}  // namespace rrcnn
