// Backend cache of rrcnn.Model (see model_state.h).
#include "model_state.h"

#include <cstring>

#include "gpu/backend_factory.h"

namespace rrcnn::python {

Backend& ModelState::inference_backend(const std::string& kind) {
  if (!backend_ || kind != backend_kind_) {
    const BackendKind k = parse_backend_kind(kind);  // throws on a bad name
    std::string note;
    backend_ = make_backend(k, ck.config, &note);
    backend_kind_ = kind;
    backend_note = note;
    uploaded_.clear();
  }
  // Bitwise: -0.0 against 0.0 or a new NaN payload counts as a change.
  if (uploaded_.size() != ck.params.size() ||
      std::memcmp(uploaded_.data(), ck.params.data(), ck.params.size() * sizeof(float)) != 0) {
    backend_->set_params(ck.params);  // checks size and finiteness
    uploaded_ = ck.params;
  }
  return *backend_;
}

}  // namespace rrcnn::python
