// The B model of the live worker (see ab_slot.h).
#include "gui/ab/ab_slot.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/metrics.h"

namespace rrcnn {

AbSlot::AbSlot(std::unique_ptr<Backend> backend, std::shared_ptr<LiveTimeline> timeline)
    : backend_(std::move(backend)), timeline_(std::move(timeline)) {
  RRCNN_CHECK(backend_ && timeline_, "A/B: B needs a backend and a timeline");
}

void AbSlot::check_compatible(const ModelConfig& a) const {
  const ModelConfig& b = config();
  RRCNN_CHECK(a.height == b.height && a.width == b.width,
              "A/B: B's grid is " << b.height << "x" << b.width << " but A's is " << a.height
                                  << "x" << a.width
                                  << " (digits, noise and dropout masks are drawn per cell, so "
                                     "both need the same grid)");
}

void AbSlot::reset(const std::vector<float>& clean, int batch, float alpha, uint64_t seed,
                   uint32_t episode) {
  backend_->reset(clean, batch, alpha, seed, episode);
}

void AbSlot::set_image_channel(const std::vector<float>& image) {
  backend_->set_image_channel(image);
}

void AbSlot::step(int n) { backend_->step(n); }

void AbSlot::step_recorded() {
  backend_->step(1);
  record();
}

void AbSlot::brush(const BrushStroke& stroke) {
  backend_->brush(stroke);
  record();  // the stroke changed the newest step, as on A
}

void AbSlot::record() {
  if (timeline_->enabled()) timeline_->record(backend_->live_step(), backend_->state());
}

void AbSlot::configure_timeline(const TimelineSettings& s) {
  timeline_->configure(s);  // LiveSim restarts both records when the timeline comes on
}

void AbSlot::timeline_restart(const std::vector<float>& clean, bool has_target) {
  if (!timeline_->enabled() || backend_->batch() <= 0) return;
  const ModelConfig& c = config();
  const HistoryShape shape{backend_->batch(), c.cells(), c.channels};
  timeline_->restart(shape, clean, has_target, backend_->live_step(), backend_->state());
}

void AbSlot::check_fork(int64_t step) const {
  const TimelineInfo info = timeline_->info();
  RRCNN_CHECK(info.enabled && !info.empty && step >= info.first_full && step <= info.last,
              "A/B: B keeps its full state only for steps "
                  << info.first_full << ".." << info.last << ", not " << step
                  << " (a bigger ring in View > Timeline keeps more)");
}

void AbSlot::fork(int64_t step) {
  const std::vector<float> from =
      timeline_->fork(step, backend_->state(), backend_->live_step());
  backend_->set_state(from, backend_->batch());
  backend_->seek_live_step(step);
}

void AbSlot::keep(bool keep_original) {
  std::vector<float> state;
  int64_t step = 0;
  if (timeline_->keep(keep_original, &state, &step)) {
    backend_->set_state(state, backend_->batch());
    backend_->seek_live_step(step);
  }
}

std::shared_ptr<const AbFrame> AbSlot::frame(const std::vector<float>& clean,
                                             bool has_target) const {
  auto f = std::make_shared<AbFrame>();
  const ModelConfig& c = config();
  const int batch = backend_->batch();
  const size_t cells = size_t(c.cells()), ch = size_t(c.channels);
  f->channels = c.channels;
  f->step = backend_->live_step();
  f->state = backend_->state();
  f->image.resize(size_t(batch) * cells);
  for (size_t i = 0; i < f->image.size(); ++i) f->image[i] = f->state[i * ch + ch - 1];
  f->mse.assign(size_t(batch), 0.0);
  if (has_target && clean.size() == f->image.size())
    for (int b = 0; b < batch; ++b)
      f->mse[size_t(b)] = clipped_mse(f->image.data() + size_t(b) * cells,
                                      clean.data() + size_t(b) * cells, cells);
  f->diverged = diverged_samples(f->state.data(), batch, cells * ch);
  return f;
}

}  // namespace rrcnn
