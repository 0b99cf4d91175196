// K dropout rollouts as one batch (see mc_dropout.h).
#include "core/mc_dropout.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/metrics.h"

namespace rrcnn {

McRollouts run_mc_rollouts(Backend& backend, const std::vector<float>& start, int batch, int k, int steps,
                           const float* clean, const std::function<bool(int, int)>& progress) {
  const ModelConfig& cfg = backend.config();
  RRCNN_CHECK(k >= 1 && k <= kMaxMcRollouts,
              "dropout rollouts: K = " << k << " is outside 1.." << kMaxMcRollouts);
  RRCNN_CHECK(steps >= 0, "dropout rollouts: negative step count " << steps);
  const size_t per_state = size_t(cfg.cells()) * cfg.channels;
  RRCNN_CHECK(batch >= 1 && start.size() == per_state * batch,
              "dropout rollouts: got " << start.size() << " floats for " << batch << " states of "
                                       << per_state);
  McRollouts run;
  run.k = k;
  run.batch = batch;
  run.pixels = cfg.cells();
  run.steps = steps;
  std::vector<float> tiled(start.size() * k);
  for (int r = 0; r < k; ++r) std::copy(start.begin(), start.end(), tiled.begin() + r * start.size());
  backend.set_state(tiled, k * batch);
  const int kb = k * batch, px = run.pixels;
  std::vector<float> clean_k;
  if (clean) {
    clean_k.resize(size_t(kb) * px);
    for (int r = 0; r < k; ++r) std::copy(clean, clean + size_t(batch) * px, clean_k.begin() + size_t(r) * batch * px);
    run.step_mse.push_back(per_sample_mse(backend.image().data(), clean_k.data(), kb, px));
  }
  // Chunks bound the trajectory's memory (chunk x K x B images) and set how often a cancel is seen.
  const int chunk = 8;
  for (int done = 0; done < steps;) {
    const int n = std::min(chunk, steps - done);
    std::vector<float> traj;
    backend.step(n, clean ? &traj : nullptr);
    if (clean)
      for (int t = 0; t < n; ++t)
        run.step_mse.push_back(per_sample_mse(traj.data() + size_t(t) * kb * px, clean_k.data(), kb, px));
    done += n;
    if (progress && !progress(done, steps)) {
      run.cancelled = true;
      break;
    }
  }
  run.finals = backend.image();
  return run;
}

void mc_step_band(const McRollouts& run, std::vector<double>* mean, std::vector<double>* sd) {
  mean->assign(run.step_mse.size(), 0.0);
  sd->assign(run.step_mse.size(), 0.0);
  for (size_t t = 0; t < run.step_mse.size(); ++t) {
    std::vector<double> per_rollout(run.k, 0.0);
    for (int r = 0; r < run.k; ++r) {
      for (int b = 0; b < run.batch; ++b) per_rollout[r] += run.step_mse[t][size_t(r) * run.batch + b];
      per_rollout[r] /= run.batch;
    }
    double m = 0;
    for (double v : per_rollout) m += v;
    m /= run.k;
    double ss = 0;
    for (double v : per_rollout) ss += (v - m) * (v - m);
    (*mean)[t] = m;
    (*sd)[t] = std::sqrt(ss / run.k);
  }
}

}  // namespace rrcnn
