// The odd sizes of issue 18: widths that are no multiple of any vector width, so every kernel
// runs its masked tail. One definition for the CPU suite (test_odd_widths.cpp: the fast path
// against the reference) and the GPU suite (tests/gpu/fixtures.h: the CUDA model against the
// CPU), so both check the same shapes.
#pragma once

#include <string>

#include "core/config.h"

namespace rrcnn {
namespace test {

// 6x7 grid, C=5, P=7, hidden {13,17}, horizon 5; the perception kernel frozen (the reference).
inline ModelConfig odd18_a() {
  ModelConfig c;
  c.height = 6;
  c.width = 7;
  c.channels = 5;
  c.perception = 7;
  c.hidden = {13, 17};
  c.rollout_steps = 5;
  c.dropout_rate = 0.5f;
  c.preset = "odd18a";
  return c;
}

// 5x9 grid, C=24, P=20, hidden {40,24}, horizon 4; frozen perception.
inline ModelConfig odd18_b() {
  ModelConfig c;
  c.height = 5;
  c.width = 9;
  c.channels = 24;
  c.perception = 20;
  c.hidden = {40, 24};
  c.rollout_steps = 4;
  c.dropout_rate = 0.5f;
  c.preset = "odd18b";
  return c;
}

// The same config with the perception kernel trained too (--train-perception).
inline ModelConfig with_trained_perception(ModelConfig c) {
  c.train_perception = true;
  return c;
}

}  // namespace test
}  // namespace rrcnn
