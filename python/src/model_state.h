// The state behind rrcnn.Model: a checkpoint (config, flat parameters, Adam state, seed,
// recipe) plus a lazily created inference backend. The parameter vector never reallocates
// after construction, so the numpy views of Model.params stay valid for the model's lifetime;
// the backend gets the parameters again whenever they differ from what it holds (the views
// are writable, so that is checked on every call).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/backend.h"
#include "core/checkpoint.h"

namespace rrcnn::python {

struct ModelState {
  Checkpoint ck;
  std::string path;  // where it was loaded from or last saved, "" for a new model
  // One computation at a time per model (calls run without the GIL, from any Python thread).
  std::mutex mu;

  // The backend for `kind` ("auto", "cpu", "cuda"), created on first use and kept, holding the
  // current parameters. Call with `mu` held.
  Backend& inference_backend(const std::string& kind);
  std::string backend_note;  // why auto chose what it chose

 private:
  std::unique_ptr<Backend> backend_;
  std::string backend_kind_;
  std::vector<float> uploaded_;  // the parameters backend_ holds
};

}  // namespace rrcnn::python
