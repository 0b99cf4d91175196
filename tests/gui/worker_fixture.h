// The tiny model the worker suites run on (test_workers.cpp, test_timeline.cpp, test_ab.cpp,
// test_session.cpp): a 7x5 grid of
// 4 channels, synthetic digits, parameters whose last layer is not zero (so steps change the
// state), and a live view of them on the CPU backend.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "core/config.h"
#include "core/cpu_backend.h"
#include "core/dataset.h"
#include "core/init.h"
#include "core/param_layout.h"
#include "gui/live/live_sim.h"

namespace rrcnn::worker_fixture {

inline ModelConfig tiny() {
  ModelConfig c;
  c.height = 7;
  c.width = 5;
  c.channels = 4;
  c.perception = 6;
  c.hidden = {8};
  c.rollout_steps = 3;
  c.preset = "tiny";
  return c;
}

inline std::shared_ptr<const Dataset> digits(int n, int h = 7, int w = 5) {
  auto d = std::make_shared<Dataset>();
  d->source = "synthetic";
  d->height = h;
  d->width = w;
  for (int i = 0; i < n; ++i) {
    for (int p = 0; p < h * w; ++p) d->images.push_back(float((p * 7 + i * 3) % 11) / 10.0f);
    d->labels.push_back(uint8_t(i % 10));
  }
  return d;
}

// Trained-looking parameters: the last layer is not zero, so steps change the state.
inline std::vector<float> params_for(const ModelConfig& c) {
  const ParamLayout layout(c);
  std::vector<float> p = init_params(layout, 3);
  const TensorSpec& w = layout.layer_kernel(c.num_layers() - 1);
  for (size_t i = 0; i < w.count; ++i) p[w.offset + i] = 0.05f * float(int(i % 7) - 3);
  return p;
}

// The same with another init seed and last layer per seed (A/B runs two different models).
inline std::vector<float> params_for(const ModelConfig& c, uint64_t seed) {
  const ParamLayout layout(c);
  std::vector<float> p = init_params(layout, seed);
  const TensorSpec& w = layout.layer_kernel(c.num_layers() - 1);
  for (size_t i = 0; i < w.count; ++i) p[w.offset + i] = 0.05f * float(int((i + seed) % 7) - 3);
  return p;
}

// A live view of `batch` of 6 synthetic digits; `live_dropout` >= 0 sets the rate it runs with
// (otherwise the model's).
inline std::unique_ptr<LiveSim> make_sim(int batch, float live_dropout = -1.0f) {
  auto backend = std::make_unique<CpuBackend>(tiny());
  backend->set_params(params_for(tiny()));
  if (live_dropout >= 0) backend->set_live_dropout(live_dropout);
  return std::make_unique<LiveSim>(std::move(backend), digits(6), batch, 1);
}

}  // namespace rrcnn::worker_fixture
