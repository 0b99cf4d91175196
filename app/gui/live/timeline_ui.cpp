// The timeline's display arithmetic (see timeline_ui.h).
#include "gui/live/timeline_ui.h"

#include <algorithm>
#include <cmath>

#include "core/metrics.h"
#include "gui/live/live_sim.h"

namespace rrcnn {

void compose_history_snapshot(const SimSnapshot& live, const TimelineFrame& f, uint64_t version,
                              SimSnapshot* out) {
  // Everything but the state and its scores is the rollout's: digits, noise, targets.
  out->version = version;
  out->inputs_version = live.inputs_version;
  out->batch = live.batch;
  out->height = live.height;
  out->width = live.width;
  out->channels = live.channels;
  out->step = f.step;
  out->playing = false;
  out->has_target = live.has_target;
  out->steps_per_sec = live.steps_per_sec;
  out->noisy = live.noisy;
  out->clean = live.clean;
  out->alphas = live.alphas;
  out->labels = live.labels;
  out->noise_seed = live.noise_seed;
  out->noise_episode = live.noise_episode;
  out->from_history = true;
  const size_t cells = size_t(live.height) * live.width, C = size_t(live.channels);
  if (f.has_state) {
    out->state = f.state;
  } else {
    out->state.assign(size_t(live.batch) * cells * C, 0.0f);
    for (size_t i = 0; i < f.image.size() && i * C + C - 1 < out->state.size(); ++i)
      out->state[i * C + C - 1] = f.image[i];
  }
  out->mse = f.mse;
  if (out->mse.size() != size_t(live.batch))
    out->mse = live.clean.size() == f.image.size()
                   ? per_sample_mse(f.image.data(), live.clean.data(), live.batch, int(cells))
                   : std::vector<double>(size_t(live.batch), 0.0);
  out->diverged = diverged_samples(out->state.data(), live.batch, cells * C);
}

}  // namespace rrcnn
