// The studio's side of A/B (ab_state.h): loading a checkpoint or a snapshot of the session's
// weights as B, handing it to the live worker (which steps it in lockstep with A, ab_slot.h),
// swapping A and B, turning it off, and gathering what the panels show of B each frame. B is a
// frozen copy: training goes on on A's trainer and never waits on B (B runs on the live worker).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/checkpoint.h"
#include "core/error.h"
#include "core/json_io.h"
#include "core/metrics.h"
#include "core/param_layout.h"
#include "gpu/backend_factory.h"
#include "gui/ab/ab_compare.h"
#include "gui/ab/ab_session.h"
#include "gui/ab/ab_slot.h"
#include "gui/studio.h"
#include "session/state_hash.h"

namespace rrcnn {
namespace {

bool trainer_busy(const TrainStatus& t) {
  return t.phase == TrainPhase::kRunning || t.phase == TrainPhase::kPaused ||
         t.phase == TrainPhase::kStopping;
}

// After a swap, B may hold this session's trained weights that were never saved: replacing or
// dropping B would lose them, so that asks the user to swap back and save first.
void check_b_disposable(const AbModel* b, const char* action) {
  RRCNN_CHECK(!b || !b->swapped_out || !b->unsaved,
              "A/B: B holds weights trained in this session (step "
                  << (b ? b->optimizer_step : 0) << ") that are not saved; " << action
                  << " would lose them. Swap A and B, save (Ctrl+S), then try again.");
}

}  // namespace

void Studio::apply_ab(const Command& c) {
  switch (AbAction(c.n)) {
    case AbAction::kLoad:
      ab_load(resolve_input(c));
      break;
    case AbAction::kSnapshot:
      ab_snapshot();
      break;
    case AbAction::kSwap:
      ab_swap();
      break;
    case AbAction::kOff:
      ab_off();
      break;
    case AbAction::kShowB:
      st_.ab.state.show_b = c.flag;
      break;
    case AbAction::kShowDiff:
      st_.ab.state.show_diff = c.flag;
      break;
  }
  if (st_.session.recording) {
    // Into the recording at the step it took effect (the worker journals notes in order, and B
    // joins there): a studio replay redoes it as a script line.
    SimCommand n{SimOp::kNote};
    n.text = ab_script_line(AbAction(c.n), st_.ab.state, c.flag);
    if (AbAction(c.n) == AbAction::kSnapshot && st_.model.unsaved) st_.session.record_exact = false;
    if (n.text.find_first_of(" \t", 8) != std::string::npos && AbAction(c.n) == AbAction::kLoad)
      st_.session.record_exact = false;  // a path with a space: no script word holds it
    sim_->post(n);
  }
}

void Studio::ab_load(const std::string& path) {
  RRCNN_CHECK(!path.empty(), "A/B: choose a checkpoint to load as B");
  check_readable_file(path, "checkpoint");
  check_b_disposable(ab_model_.get(), "loading another B");
  Checkpoint ck = load_checkpoint(path);
  const AbComparison cmp = compare_models(st_.model.config, ck.config);
  RRCNN_CHECK(cmp.compatible, path << ": cannot run beside A: " << cmp.differs << " ("
                                   << cmp.shared << ")");
  auto m = std::make_unique<AbModel>();
  m->config = ck.config;
  m->params = std::move(ck.params);
  m->adam = std::move(ck.adam);
  m->name = std::filesystem::path(path).stem().string();
  m->recipe = ck.recipe.empty() ? "seed" : ck.recipe;
  m->description = checkpoint_description(ck);
  m->source = path;
  m->ckpt_path = path;
  m->optimizer_step = m->saved_step = m->loaded_step = m->adam.step;
  m->train_seed = ck.seed;
  ab_model_ = std::move(m);
  st_.ab.state.source = AbSource::kFile;
  st_.ab.state.path = path;
  st_.ab.state.snapshot_step = 0;
  ab_attach();
  notice("A/B: B is " + path + (st_.ab.differs.empty() ? "" : " (" + st_.ab.differs + ")"));
}

AbModel Studio::session_as_ab() const {
  AbModel m;
  m.config = st_.model.config;
  m.params = params_;
  m.adam = adam_;
  m.name = st_.model.name;
  m.description = st_.model.description;
  m.source = st_.model.source;
  m.recipe = st_.model.recipe;
  m.ckpt_path = st_.ckpt_path;
  m.fresh = st_.model.fresh;
  m.unsaved = st_.model.unsaved;
  m.optimizer_step = st_.model.optimizer_step;
  m.saved_step = st_.model.saved_step;
  m.loaded_step = st_.model.loaded_step;
  m.train_seed = st_.train.seed;
  return m;
}

void Studio::ab_snapshot() {
  // The weights the trainer published last (params_): training goes on, B stays as it is now.
  check_b_disposable(ab_model_.get(), "a new snapshot");
  auto m = std::make_unique<AbModel>(session_as_ab());
  const std::string step = std::to_string(m->optimizer_step);
  m->name = st_.model.name + " @ " + step;
  m->source = "snapshot of " + st_.model.name + " at step " + step;
  m->description = "A frozen copy of " + st_.model.name + " at optimiser step " + step + ".";
  m->ckpt_path.clear();
  ab_model_ = std::move(m);
  st_.ab.state.source = AbSource::kSnapshot;
  st_.ab.state.path.clear();
  st_.ab.state.snapshot_step = ab_model_->optimizer_step;
  ab_attach();
  notice("A/B: B is a snapshot of " + st_.model.name + " at step " + step +
         (trainer_busy(trainer_->status()) ? " (training goes on with A)" : ""));
}

void Studio::ab_swap() {
  RRCNN_CHECK(ab_model_, "A/B is off: load a model or take a snapshot as B first");
  RRCNN_CHECK(!trainer_busy(trainer_->status()),
              "A/B: stop training before swapping (the trainer works on A's weights)");
  AbModel b = std::move(*ab_model_);
  *ab_model_ = session_as_ab();  // before set_weights: a new live view re-attaches it as B
  ab_model_->swapped_out = true;
  const std::string b_ckpt = b.ckpt_path;
  set_weights(b.config, std::move(b.params), std::move(b.adam), b.source, b.fresh, b.recipe, b.description);
  ModelInfo& m = st_.model;
  m.name = b.name;
  m.description = b.description;
  m.unsaved = b.unsaved;
  m.optimizer_step = b.optimizer_step;
  m.saved_step = b.saved_step;
  m.loaded_step = b.loaded_step;
  st_.train.seed = b.train_seed;
  st_.ckpt_path = b_ckpt;
  if (!b_ckpt.empty()) load_loss_log(b_ckpt);
  st_.ab.state.source = AbSource::kSwapped;
  st_.ab.state.path = ab_model_->ckpt_path;
  ab_attach();
  notice("A/B: swapped; A is " + m.name + ", B is " + ab_model_->name);
}

void Studio::ab_off() {
  if (!ab_model_) return;
  check_b_disposable(ab_model_.get(), "turning A/B off");
  ab_model_.reset();
  ab_timeline_.reset();
  if (sim_) sim_->post(SimCommand{SimOp::kAbAttach});  // no slot: A alone, as before
  const AbState keep = st_.ab.state;
  st_.ab = AbUi{};
  st_.ab.state.show_b = keep.show_b;
  st_.ab.state.show_diff = keep.show_diff;
  notice("A/B off");
}

void Studio::ab_attach() {
  if (!ab_model_ || !sim_) return;
  std::unique_ptr<Backend> backend = make_backend(backend_kind_, ab_model_->config, nullptr);
  backend->set_params(ab_model_->params);
  // B's timeline keeps as many full states as A's, so a fork finds both.
  TimelineSettings ts = st_.tl.view.settings;
  if (ts.full_steps < 0)
    ts.full_steps = default_full_steps(
        HistoryShape{st_.noise.batch, st_.model.config.cells(), st_.model.config.channels});
  ab_timeline_ = std::make_shared<LiveTimeline>();
  ab_timeline_->configure(ts);
  SimCommand c{SimOp::kAbAttach};
  c.ab = std::make_shared<AbSlot>(std::move(backend), ab_timeline_);
  sim_->post(c);
  const AbComparison cmp = compare_models(st_.model.config, ab_model_->config);
  AbUi& ab = st_.ab;
  ab.state.on = true;
  ab.a_name = st_.model.name;
  ab.b_name = ab_model_->name;
  ab.b_description = ab_model_->description;
  ab.b_channels = ab_model_->config.channels;
  ab.differs = cmp.differs;
  ab.shared = cmp.shared;
  ab.curve = TimelineCurve{};
  ab.curve_version = 0;
  ab.image.clear();
  ab.mse.clear();
  ab.step = -1;
}

void Studio::poll_ab() {
  AbUi& ab = st_.ab;
  if (!ab_model_ || !ab_timeline_) {
    ab.state.on = false;
    ab_tiles_.update(&st_);
    return;
  }
  ab.a_name = st_.model.name;  // A's name follows training ("new lite model")
  TimelineCurve original;
  ab_timeline_->curves(&ab.curve_version, &ab.curve, &original);
  // B at the step on screen: the live frame, or B's record of the step the timeline shows.
  const SimSnapshot& snap = st_.snap;
  if (!snap.from_history && snap.ab && snap.ab->step == snap.step) {
    ab.step = snap.ab->step;
    ab.image = snap.ab->image;
    ab.mse = snap.ab->mse;
    ab.diverged = snap.ab->diverged;
  } else if (snap.from_history) {
    TimelineFrame f;
    if (ab_timeline_->frame(snap.step, &f, false) && f.step == snap.step) {
      ab.step = f.step;
      ab.image = std::move(f.image);
      ab.mse = std::move(f.mse);
      ab.diverged.assign(ab.mse.size(), 0);
    }
  }
  ab_tiles_.update(&st_);
}

}  // namespace rrcnn

namespace rrcnn {

std::string Studio::ab_report() const {
  const AbUi& ab = st_.ab;
  std::ostringstream os;
  os << ",\n  \"ab\": {\"on\": " << (ab.on() ? "true" : "false")
     << ", \"source\": " << json_quote(ab_source_name(ab.state.source))
     << ", \"path\": " << json_quote(ab.state.path)
     << ", \"snapshot_step\": " << ab.state.snapshot_step
     << ", \"show_b\": " << (ab.state.show_b ? "true" : "false")
     << ", \"show_diff\": " << (ab.state.show_diff ? "true" : "false")
     << ", \"a_name\": " << json_quote(ab.a_name) << ", \"b_name\": " << json_quote(ab.b_name)
     << ", \"b_description\": " << json_quote(ab.b_description)
     << ", \"differs\": " << json_quote(ab.differs) << ", \"shared\": " << json_quote(ab.shared)
     << ", \"b_channels\": " << ab.b_channels << ", \"step\": " << ab.step
     << ", \"diff_max\": " << ab.diff_max << ", \"b_psnr\": [";
  for (size_t b = 0; b < ab.mse.size() && st_.snap.has_target; ++b)
    os << (b ? ", " : "") << psnr_from_mse(ab.mse[b]);
  os << "], \"b_curve_steps\": " << ab.curve.mse.size() << ", \"b_curve_first\": " << ab.curve.first;
  // Full states of the newest step, when it is on screen (not a scrubbed one).
  const bool live = !st_.snap.from_history && st_.snap.ab && st_.snap.ab->step == st_.snap.step;
  os << ", \"a_state_hash\": " << json_quote(st_.snap.from_history ? "" : state_hash_hex(st_.snap.state))
     << ", \"b_state_hash\": " << json_quote(live ? state_hash_hex(st_.snap.ab->state) : "")
     << ", \"b_model\": " << json_quote(ab_model_ ? ab_model_->source : "") << "}";
  return os.str();
}

}  // namespace rrcnn
