// Builds the named layout of the flat parameter buffer from a model config.
#include "core/param_layout.h"
#include <utility>

#include "core/error.h"

namespace rrcnn {

ParamLayout::ParamLayout(const ModelConfig& config) {
  config.validate();
  auto add = [&](std::string name, std::vector<int> shape, bool trained) {
    TensorSpec t;
    t.name = std::move(name);
    t.shape = std::move(shape);
    t.count = 1;
    for (int d : t.shape) t.count *= static_cast<size_t>(d);
    t.offset = total_;
    t.trained = trained;
    total_ += t.count;
    tensors_.push_back(std::move(t));
  };
  // With a trained perception the kernel joins the trained tail, which is then the whole buffer.
  add("perceive.kernel", {3, 3, config.channels, config.perception}, config.train_perception);
  trained_offset_ = config.train_perception ? 0 : total_;
  for (int l = 0; l < config.num_layers(); ++l) {
    const std::string prefix = "update.layers." + std::to_string(l) + ".";
    add(prefix + "kernel", {config.layer_in(l), config.layer_out(l)}, true);
    add(prefix + "bias", {config.layer_out(l)}, true);
  }
}

const TensorSpec& ParamLayout::find(const std::string& name) const {
  for (const auto& t : tensors_)
    if (t.name == name) return t;
  RRCNN_FAIL("no parameter tensor named '" << name << "'");
}

}  // namespace rrcnn
