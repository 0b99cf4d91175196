// Test helper: a lite checkpoint on another grid (20x20), which cannot run beside a 28x28 model
// in A/B (digits, noise and masks are drawn per cell).
//   make_grid_checkpoint DST
#include <cstdio>
#include <exception>

#include "core/checkpoint.h"
#include "core/init.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_grid_checkpoint DST\n");
    return 2;
  }
  try {
    rrcnn::Checkpoint ck;
    ck.config = rrcnn::model_preset("lite");
    ck.config.height = ck.config.width = 20;
    ck.params = rrcnn::init_params(rrcnn::ParamLayout(ck.config), 1);
    rrcnn::save_checkpoint(argv[1], ck, false);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_grid_checkpoint: %s\n", e.what());
    return 1;
  }
  return 0;
}
