// Writes the seed corpora of the fuzz targets (valid files of each kind) into a folder:
// IDX images and labels (raw and gzip), checkpoints of a tiny and the lite model (with and
// without Adam state). Built with the fuzzers; its output is committed under tests/fuzz/corpus.
#include <cstdio>
#include <string>

#include "core/checkpoint.h"
#include "core/config.h"
#include "core/idx.h"
#include "core/init.h"
#include "core/param_layout.h"

using namespace rrcnn;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_seeds OUTDIR (writes OUTDIR/idx and OUTDIR/checkpoint)\n");
    return 2;
  }
  const std::string out = argv[1];
  IdxArray images;
  images.dims = {3, 4, 5};
  for (int i = 0; i < 60; ++i) images.data.push_back(uint8_t(i * 4));
  write_idx(out + "/idx/images-3x4x5.idx", images);
  IdxArray labels;
  labels.dims = {6};
  labels.data = {0, 1, 2, 3, 4, 9};
  write_idx(out + "/idx/labels-6.idx", labels);

  ModelConfig tiny = model_preset("lite");
  tiny.preset = "tiny";
  tiny.height = 3;
  tiny.width = 2;
  tiny.channels = 2;
  tiny.perception = 3;
  tiny.hidden = {2};
  tiny.rollout_steps = 2;
  for (const ModelConfig& c : {tiny, model_preset("lite")}) {
    Checkpoint ck;
    ck.config = c;
    ck.seed = 7;
    ck.note = "fuzz seed";
    const ParamLayout layout(c);
    ck.params = init_params(layout, ck.seed);
    save_checkpoint(out + "/checkpoint/" + c.preset + "-no-adam.safetensors", ck, false);
    ck.adam.mu.assign(layout.trained_count(), 0.01f);
    ck.adam.nu.assign(layout.trained_count(), 0.0001f);
    ck.adam.step = 12;
    save_checkpoint(out + "/checkpoint/" + c.preset + "-adam.safetensors", ck, true);
  }
  return 0;
}
