// Checkpoint <-> safetensors mapping and validation (see checkpoint.h).
#include "core/checkpoint.h"

#include <algorithm>
#include <sys/stat.h>

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "core/config_json.h"
#include "core/error.h"
#include "core/param_layout.h"
#include "core/safetensors.h"

#ifndef RRCNN_SOURCE_ASSETS
#define RRCNN_SOURCE_ASSETS ""
#endif

namespace rrcnn {
namespace {

constexpr const char* kFormat = "rrcnn-studio/1";

std::string num(double v) {
  std::ostringstream os;
  os.precision(9);
  os << v;
  return os.str();
}

const std::string& meta(const StFile& f, const std::string& key, const std::string& path) {
  auto it = f.metadata.find(key);
  RRCNN_CHECK(it != f.metadata.end(), path << ": metadata '" << key
                                           << "' missing (not an rrcnn checkpoint?)");
  return it->second;
}

int meta_int(const StFile& f, const std::string& key, const std::string& path) {
  const std::string& s = meta(f, key, path);
  size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(s, &used);
  } catch (...) {
    used = 0;
  }
  RRCNN_CHECK(used == s.size() && !s.empty() && v >= -(1LL << 31) + 1 && v <= (1LL << 31) - 1,
              path << ": metadata '" << key << "' = '" << s << "' is not an integer");
  return int(v);
}

float meta_float(const StFile& f, const std::string& key, const std::string& path) {
  const std::string& s = meta(f, key, path);
  char* end = nullptr;
  const float v = std::strtof(s.c_str(), &end);
  RRCNN_CHECK(end && *end == 0 && !s.empty() && std::isfinite(v),
              path << ": metadata '" << key << "' = '" << s << "' is not a number");
  return v;
}

}  // namespace

void save_checkpoint(const std::string& path, const Checkpoint& ckpt, bool with_optimizer) {
  const ModelConfig& c = ckpt.config;
  const ParamLayout layout(c);
  RRCNN_CHECK(ckpt.params.size() == layout.total(), path << ": cannot save " << ckpt.params.size()
                                                         << " parameters, the model has "
                                                         << layout.total());
  StFile f;
  f.metadata = {{"format", kFormat},
                {"preset", c.preset},
                {"height", std::to_string(c.height)},
                {"width", std::to_string(c.width)},
                {"channels", std::to_string(c.channels)},
                {"perception", std::to_string(c.perception)},
                {"hidden", c.hidden_string()},
                {"rollout_steps", std::to_string(c.rollout_steps)},
                {"dropout_rate", num(c.dropout_rate)},
                {"step_size", num(c.step_size)},
                {"train_perception", c.train_perception ? "1" : "0"},
                {"config", model_config_to_json(c)},
                {"seed", std::to_string(ckpt.seed)},
                {"optimizer_step", std::to_string(ckpt.adam.step)}};
  if (!ckpt.note.empty()) f.metadata["note"] = ckpt.note;
  f.metadata["recipe"] = ckpt.recipe.empty() ? "seed" : ckpt.recipe;
  if (!ckpt.description.empty()) f.metadata["description"] = ckpt.description;
  for (const TensorSpec& t : layout.tensors())
    f.tensors.push_back({t.name, {t.shape, std::vector<float>(ckpt.params.begin() + t.offset,
                                                              ckpt.params.begin() + t.offset + t.count)}});
  if (with_optimizer && !ckpt.adam.empty()) {
    RRCNN_CHECK(ckpt.adam.mu.size() == layout.trained_count(),
                path << ": Adam state size does not match the model");
    for (const char* which : {"mu", "nu"}) {
      const std::vector<float>& m = std::string(which) == "mu" ? ckpt.adam.mu : ckpt.adam.nu;
      for (const TensorSpec& t : layout.tensors()) {
        if (!t.trained) continue;
        const size_t o = t.offset - layout.trained_offset();
        f.tensors.push_back({std::string("adam.") + which + "." + t.name,
                             {t.shape, std::vector<float>(m.begin() + o, m.begin() + o + t.count)}});
      }
    }
  }
  write_safetensors(path, f);
}

namespace {

Checkpoint checkpoint_from_safetensors(const StFile& f, const std::string& path) {
  const std::string& format = meta(f, "format", path);
  RRCNN_CHECK(format == kFormat, path << ": format '" << format << "' is not " << kFormat);
  Checkpoint ck;
  ModelConfig& c = ck.config;
  c.preset = f.metadata.count("preset") ? f.metadata.at("preset") : "custom";
  c.height = meta_int(f, "height", path);
  c.width = meta_int(f, "width", path);
  c.channels = meta_int(f, "channels", path);
  c.perception = meta_int(f, "perception", path);
  c.hidden = parse_int_list(meta(f, "hidden", path), path + ": metadata 'hidden'");
  c.rollout_steps = meta_int(f, "rollout_steps", path);
  c.dropout_rate = meta_float(f, "dropout_rate", path);
  c.step_size = meta_float(f, "step_size", path);
  // Absent in files written before the option existed: the reference's frozen kernel.
  if (f.metadata.count("train_perception")) {
    const std::string& tp = f.metadata.at("train_perception");
    RRCNN_CHECK(tp == "0" || tp == "1", path << ": metadata 'train_perception' = '" << tp
                                             << "' is not 0 or 1");
    c.train_perception = tp == "1";
  }
  try {
    c.validate();
  } catch (const Error& e) {
    RRCNN_FAIL(path << ": " << e.what());
  }
  const std::string& seed = meta(f, "seed", path);
  char* seed_end = nullptr;
  ck.seed = std::strtoull(seed.c_str(), &seed_end, 10);
  RRCNN_CHECK(!seed.empty() && seed[0] != '-' && seed_end && *seed_end == 0,
              path << ": metadata 'seed' = '" << seed << "' is not an unsigned integer");
  if (f.metadata.count("note")) ck.note = f.metadata.at("note");
  if (f.metadata.count("recipe") && !f.metadata.at("recipe").empty())
    ck.recipe = f.metadata.at("recipe");
  if (f.metadata.count("description")) {
    ck.description = f.metadata.at("description");
    RRCNN_CHECK(ck.description.size() <= 300 && ck.description.find('\n') == std::string::npos,
                path << ": metadata 'description' must be one line of at most 300 characters");
  }
  const ParamLayout layout(c);
  // Every tensor the config needs is checked before anything is allocated: the metadata of a
  // small file may describe a model of gigabytes.
  for (const TensorSpec& t : layout.tensors()) {
    const StTensor* st = f.find(t.name);
    RRCNN_CHECK(st, path << ": tensor '" << t.name << "' missing");
    RRCNN_CHECK(st->shape == t.shape, path << ": tensor '" << t.name << "' has the wrong shape for "
                                           << "the config in its metadata");
  }
  ck.params.resize(layout.total());
  bool has_adam = true;
  ck.adam.mu.resize(layout.trained_count());
  ck.adam.nu.resize(layout.trained_count());
  for (const TensorSpec& t : layout.tensors()) {
    const StTensor* st = f.find(t.name);
    for (size_t i = 0; i < t.count; ++i) {
      RRCNN_CHECK(std::isfinite(st->data[i]), path << ": tensor '" << t.name << "' element " << i
                                                   << " is " << st->data[i]);
      ck.params[t.offset + i] = st->data[i];
    }
    if (!t.trained) continue;
    const StTensor* mu = f.find("adam.mu." + t.name);
    const StTensor* nu = f.find("adam.nu." + t.name);
    if (!mu || !nu) {
      has_adam = false;
      continue;
    }
    RRCNN_CHECK(mu->shape == t.shape && nu->shape == t.shape,
                path << ": Adam moments of '" << t.name << "' have the wrong shape");
    // Moments that are not finite, or a negative second moment, would turn the first update
    // into NaN parameters.
    for (size_t i = 0; i < t.count; ++i)
      RRCNN_CHECK(std::isfinite(mu->data[i]) && std::isfinite(nu->data[i]) && nu->data[i] >= 0,
                  path << ": Adam moments of '" << t.name << "' element " << i << " are "
                       << mu->data[i] << ", " << nu->data[i]);
    const size_t o = t.offset - layout.trained_offset();
    std::copy(mu->data.begin(), mu->data.end(), ck.adam.mu.begin() + o);
    std::copy(nu->data.begin(), nu->data.end(), ck.adam.nu.begin() + o);
  }
  if (has_adam) {
    ck.adam.step = meta_int(f, "optimizer_step", path);
    RRCNN_CHECK(ck.adam.step >= 0, path << ": negative optimizer_step");
  } else {
    // Without moments the optimiser restarts from step 0: keeping the count with zero moments
    // would make Adam's bias correction scale the first updates wrongly.
    ck.adam = AdamState{};
  }
  return ck;
}

}  // namespace

Checkpoint load_checkpoint(const std::string& path) {
  return checkpoint_from_safetensors(read_safetensors(path), path);
}

Checkpoint decode_checkpoint(const std::vector<uint8_t>& bytes, const std::string& path) {
  return checkpoint_from_safetensors(decode_safetensors(bytes, path), path);
}

std::string default_checkpoint_path() {
  if (const char* env = std::getenv("RRCNN_ASSETS")) return std::string(env) + "/rrcnn-seed.safetensors";
  return std::string(RRCNN_SOURCE_ASSETS) + "/rrcnn-seed.safetensors";
}

}  // namespace rrcnn
