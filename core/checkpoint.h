// Checkpoints in the safetensors format: 8-byte little-endian header length, a JSON header,
// raw little-endian float32 data. Readable by safetensors.numpy.load_file in Python.
// Tensors: the ParamLayout names ("perceive.kernel" (3,3,C,P), "update.layers.{l}.kernel"
// (in,out), "update.layers.{l}.bias"), optionally "adam.mu.<name>" / "adam.nu.<name>" for
// the trained ones. __metadata__ holds the model config, seed, optimiser step and recipe as strings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/optimizer.h"

namespace rrcnn {

struct Checkpoint {
  ModelConfig config;
  std::vector<float> params;   // ParamLayout(config) order
  AdamState adam;              // empty when saved without optimiser state
  uint64_t seed = 0;
  std::string note;            // free text (what wrote it)
  // How it was trained: "seed" (the reference recipe: 64 steps from noise) or "pool" (with a
  // sample pool: persistent, so the studio runs it indefinitely). Absent in a file = "seed".
  std::string recipe = "seed";
  // One line for model lists (the studio's shipped models, `rrcnn info`); empty: the list says
  // what the recipe is. Set on shipped files; a run trained further from one does not keep it.
  std::string description;
};

// Atomic: writes PATH.tmp, flushes, renames over PATH. Throws naming the path on failure.
void save_checkpoint(const std::string& path, const Checkpoint& ckpt, bool with_optimizer = true);

// Validates the header, every tensor's shape against the config in the metadata, and that all
// values are finite. Throws naming the file and the problem.
Checkpoint load_checkpoint(const std::string& path);
// The same on the bytes of a file already in memory; `path` is used in messages only.
Checkpoint decode_checkpoint(const std::vector<uint8_t>& bytes, const std::string& path);

// Path of the pretrained checkpoint the app opens by default.
std::string default_checkpoint_path();

}  // namespace rrcnn
