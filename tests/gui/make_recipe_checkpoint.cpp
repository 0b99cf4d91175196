// Test helper: a copy of a checkpoint with another recipe in its metadata (e.g. the seed model
// marked "pool", to test the studio's handling of persistent models before one is trained).
//   make_recipe_checkpoint SRC DST RECIPE
#include <cstdio>

#include "core/checkpoint.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: make_recipe_checkpoint SRC DST RECIPE\n");
    return 2;
  }
  try {
    rrcnn::Checkpoint ck = rrcnn::load_checkpoint(argv[1]);
    ck.recipe = argv[3];
    rrcnn::save_checkpoint(argv[2], ck, !ck.adam.empty());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_recipe_checkpoint: %s\n", e.what());
    return 1;
  }
  return 0;
}
