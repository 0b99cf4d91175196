// libFuzzer target: the checkpoint reader (safetensors container, JSON header, metadata, shapes
// against the config, finite values) on arbitrary bytes. Rejection is rrcnn::Error; a file
// that is accepted must describe a model whose tensors it really holds.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/checkpoint.h"
#include "core/error.h"
#include "core/param_layout.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const rrcnn::Checkpoint ck =
        rrcnn::decode_checkpoint(std::vector<uint8_t>(data, data + size), "fuzz.safetensors");
    const rrcnn::ParamLayout layout(ck.config);
    if (ck.params.size() != layout.total()) __builtin_trap();
    for (float v : ck.params)
      if (!std::isfinite(v)) __builtin_trap();
    if (!ck.adam.empty() && ck.adam.mu.size() != layout.trained_count()) __builtin_trap();
  } catch (const rrcnn::Error&) {
  }
  return 0;
}
