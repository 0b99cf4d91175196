// What the training suites share (test_training_driver.cpp, test_pool_trainer.cpp): digits
// with a bright block (ink) in different places, on any config's grid.
#pragma once

#include <cstddef>

#include "core/config.h"
#include "core/dataset.h"

namespace rrcnn {
namespace test {

inline Dataset toy_digits(const ModelConfig& c, int count) {
  Dataset d;
  d.source = "toy";
  d.height = c.height;
  d.width = c.width;
  d.images.assign(size_t(count) * c.cells(), 0.0f);
  for (int i = 0; i < count; ++i)
    for (int y = 2; y < 6; ++y)
      for (int x = 1 + i % 4; x < 4 + i % 4; ++x) d.images[size_t(i) * c.cells() + y * c.width + x] = 1.0f;
  return d;
}

}  // namespace test
}  // namespace rrcnn
