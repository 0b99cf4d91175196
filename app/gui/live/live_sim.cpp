// The live view's worker thread (see live_sim.h). Everything that touches the backend runs on
// the worker; the UI thread only queues commands and copies snapshots under the mutex.
#include "gui/live/live_sim.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <utility>

#include "core/error.h"
#include "core/metrics.h"
#include "core/noise.h"
#include "gui/ab/ab_slot.h"

namespace rrcnn {
namespace {

double now_seconds() {
  using clock = std::chrono::steady_clock;
  static const clock::time_point start = clock::now();
  return std::chrono::duration<double>(clock::now() - start).count();
}

// One burst of steps stays short so snapshots (and brush strokes) flow at ~30 Hz.
constexpr double kBurstBudget = 1.0 / 30.0;

}  // namespace

LiveSim::LiveSim(std::unique_ptr<Backend> backend, std::shared_ptr<const Dataset> data, int batch,
                 uint64_t seed, PublishHook on_publish)
    : backend_(std::move(backend)),
      on_publish_(std::move(on_publish)),
      data_(std::move(data)),
      batch_(batch),
      seed_(seed) {
  RRCNN_CHECK(backend_ && data_, "live view: needs a backend and a data set");
  RRCNN_CHECK(data_->count() > 0, "live view: the data set '" << data_->source << "' is empty");
  config_ = backend_->config();
  RRCNN_CHECK(data_->height == config_.height && data_->width == config_.width,
              "live view: digits are " << data_->height << "x" << data_->width
                                       << " but the model grid is " << config_.height << "x"
                                       << config_.width);
  backend_name_ = backend_->name();
  device_name_ = backend_->device_name();
  new_digits(false);
  publish(true);
  thread_ = std::thread([this] { run(); });
}

LiveSim::~LiveSim() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    quit_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LiveSim::post(const SimCommand& c) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(c);
    ++posted_;
  }
  cv_.notify_all();
}

void LiveSim::set_pacing(const SimPacing& p) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    pacing_ = p;
    pacing_changed_ = true;
  }
  cv_.notify_all();
}

SimPacing LiveSim::pacing() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pacing_;
}

bool LiveSim::fetch(SimSnapshot* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (out->version == snapshot_.version) return false;
  *out = snapshot_;
  return true;
}

std::vector<std::string> LiveSim::take_errors() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> e;
  e.swap(errors_);
  return e;
}

bool LiveSim::take_recording(SimRecording* out) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!record_ready_) return false;
  *out = std::move(finished_);
  finished_ = SimRecording{};
  record_ready_ = false;
  return true;
}

bool LiveSim::recording() const {
  std::lock_guard<std::mutex> lock(mu_);
  return record_frames_ > 0;  // the worker's own flag is not shared
}

int LiveSim::recording_frames() const {
  std::lock_guard<std::mutex> lock(mu_);
  return record_frames_;
}

void LiveSim::sync() {
  std::unique_lock<std::mutex> lock(mu_);
  const uint64_t target = posted_;
  idle_cv_.wait(lock, [&] { return applied_ >= target || quit_; });
}

void LiveSim::run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (queue_.empty() && !pacing_changed_ && !quit_) {
      if (pacing_.playing)
        cv_.wait_for(lock, std::chrono::duration<double>(std::min(
                               0.05, pacer_.wait_seconds(pacing_.speed, pacing_.max_speed))));
      else
        cv_.wait(lock, [&] { return quit_ || !queue_.empty() || pacing_changed_; });
    }
    if (quit_) return;
    std::vector<SimCommand> commands;
    commands.swap(queue_);
    const bool pacing_changed = pacing_changed_;
    pacing_changed_ = false;
    SimPacing pacing = pacing_;
    lock.unlock();

    bool changed = !commands.empty(), inputs_changed = false;
    for (const SimCommand& c : commands) {
      try {
        apply(c);
        journal_command(c);
        // A recording shows what the user saw: strokes, resets and new digits too (steps and
        // its own start record themselves; new weights show in the next step).
        if (record_active_ && c.op != SimOp::kStep && c.op != SimOp::kRecordStart &&
            c.op != SimOp::kNote && c.op != SimOp::kJournal &&
            c.op != SimOp::kRecordStop && c.op != SimOp::kSetParams && c.op != SimOp::kSetDropout)
          record_frame();
        inputs_changed =
            inputs_changed || (c.op != SimOp::kStep && c.op != SimOp::kBrush &&
                               c.op != SimOp::kSetParams && c.op != SimOp::kSetDropout);
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> g(mu_);
        errors_.push_back(e.what());
      }
    }
    if (pacing_changed) {
      pacer_.restart(now_seconds());
      // Pressing Play at the end of a rollout replays it from the start.
      if (pacing.playing && !was_playing_ && !pacing.loop && !pacing.endless &&
          backend_->live_step() >= pacing.rollout_length) {
        restart(false);
        journal("reset");
        changed = inputs_changed = true;
      }
    }
    was_playing_ = pacing.playing;
    bool reached_end = false;
    if (pacing.playing) {
      int64_t remaining = pacing.endless ? int64_t(1) << 40
                                         : pacing.rollout_length - backend_->live_step();
      if (pacing.loop && remaining <= 0) {
        new_digits(false);
        journal("new-digits");
        changed = inputs_changed = true;
        remaining = pacing.rollout_length;
      }
      const int n = pacer_.due(now_seconds(), pacing.speed, pacing.max_speed, kBurstBudget,
                               std::max<int64_t>(remaining, 0));
      if (n > 0) {
        const double t0 = now_seconds();
        try {
          advance(n);
          journal_steps(n);
        } catch (const std::exception& e) {
          std::lock_guard<std::mutex> g(mu_);
          errors_.push_back(e.what());
          pacing_.playing = false;
        }
        const double t1 = now_seconds();
        pacer_.record(n, t1 - t0);
        meter_.add(n, t1);
        changed = true;
      }
      reached_end =
          !pacing.loop && !pacing.endless && backend_->live_step() >= pacing.rollout_length;
    }
    if (changed || reached_end) publish(inputs_changed);

    lock.lock();
    // Auto-pause at the end, unless the UI changed the pacing meanwhile.
    if (reached_end && !pacing_changed_) {
      pacing_.playing = false;
      was_playing_ = false;
      snapshot_.playing = false;
      ++snapshot_.version;
    }
    applied_ += commands.size();
    idle_cv_.notify_all();
  }
}

void LiveSim::apply(const SimCommand& c) {
  switch (c.op) {
    case SimOp::kReset:
      restart(false);
      break;
    case SimOp::kNewNoise:
      restart(true);
      break;
    case SimOp::kNewDigits:
      new_digits(c.flag);
      break;
    case SimOp::kBlank: {
      // n > 0: that many canvases (the studio draws on one, large).
      if (c.n > 0 && c.n != batch_) {
        RRCNN_CHECK(c.n <= 64, "batch " << c.n << " is out of range 1..64");
        finish_recording();
        batch_ = c.n;
      }
      has_target_ = false;
      clean_.assign(size_t(batch_) * config_.cells(), 0.0f);
      labels_.assign(size_t(batch_), -1);
      restart(false);
      break;
    }
    case SimOp::kAddNoise: {
      std::vector<float> img = backend_->image();
      for (float& v : img) v = std::clamp(v, 0.0f, 1.0f);
      clean_ = img;
      has_target_ = true;
      labels_.assign(size_t(batch_), -1);
      restart(true);
      break;
    }
    case SimOp::kJournal:
      if (c.flag) {
        // From a state a script can rebuild: these digits and noise at step 0 (strokes made
        // before the recording are not in it).
        restore(seed_, digit_episode_, noise_episode_);
        journal_active_ = true;
        journal_pending_steps_ = 0;
        {
          std::lock_guard<std::mutex> lock(mu_);
          journal_exact_ = true;
        }
        journal(c.text);
        journal("restore " + std::to_string(seed_) + " " + std::to_string(digit_episode_) + " " +
                std::to_string(noise_episode_));
      } else {
        journal("");  // the last steps
        journal_active_ = false;
      }
      break;
    case SimOp::kNote:
      break;  // journal_command writes it
    case SimOp::kRestore:
      restore(c.seed, uint32_t(c.n), c.episode);
      break;
    case SimOp::kStep:
      if (record_active_ || timeline_.enabled() || ab_)
        advance(std::max(c.n, 1));
      else
        backend_->step(std::max(c.n, 1));
      break;
    case SimOp::kBrush:
      backend_->brush(c.stroke);
      if (ab_) ab_->brush(c.stroke);  // the same stroke at the same step on B
      timeline_record();  // the stroke changed the newest step
      break;
    case SimOp::kFork:
    case SimOp::kForkKeep:
    case SimOp::kSetTimeline:
      apply_timeline(c);
      break;
    case SimOp::kSetParams:
      if (c.params) backend_->set_params(*c.params);
      break;
    case SimOp::kSetDropout:
      backend_->set_live_dropout(c.value);
      if (ab_) ab_->set_live_dropout(c.value);
      break;
    case SimOp::kSetNoise:
      alpha_ = c.value < 0 ? -1.0f : std::min(c.value, 1.0f);
      if (has_target_) restart(true);
      break;
    case SimOp::kSetSeed:
      seed_ = c.seed;
      restart(false);
      break;
    case SimOp::kSetBatch:
      RRCNN_CHECK(c.n >= 1 && c.n <= 64, "batch " << c.n << " is out of range 1..64");
      if (c.n != batch_) finish_recording();  // frames of another size cannot share the GIF
      batch_ = c.n;
      new_digits(false);
      break;
    case SimOp::kSetData:
      RRCNN_CHECK(c.data && c.data->count() > 0, "the data set is empty");
      RRCNN_CHECK(c.data->height == config_.height && c.data->width == config_.width,
                  "digits of '" << c.data->source << "' are " << c.data->height << "x"
                                << c.data->width << " but the model grid is " << config_.height
                                << "x" << config_.width);
      data_ = c.data;
      new_digits(false);
      break;
    case SimOp::kRecordStart:
      finish_recording();
      record_ = SimRecording{};
      record_.batch = batch_;
      record_.height = config_.height;
      record_.width = config_.width;
      record_active_ = true;
      record_frame();
      break;
    case SimOp::kRecordStop:
      finish_recording();
      break;
    case SimOp::kAbAttach:
      // B joins (or leaves); both restart on the same digits and noise at step 0, so every
      // step after this draws the same masks for both.
      if (c.ab) {
        c.ab->check_compatible(config_);
        c.ab->set_live_dropout(backend_->live_dropout());
      }
      ab_ = c.ab;
      if (ab_) restart(false);
      break;
  }
}

void LiveSim::new_digits(bool keep_hidden) {
  ++digit_episode_;
  const std::vector<int> idx = sample_indices(data_->count(), batch_, seed_, digit_episode_);
  clean_ = gather_batch(*data_, idx);
  labels_.clear();
  for (int i : idx) labels_.push_back(data_->labels.empty() ? -1 : int(data_->labels[size_t(i)]));
  const bool can_keep = keep_hidden && has_target_ && backend_->batch() == batch_;
  has_target_ = true;
  if (!can_keep) {
    restart(true);
    return;
  }
  ++noise_episode_;
  noisy_.resize(clean_.size());
  make_noisy_batch(clean_.data(), batch_, config_.cells(), alpha_, seed_, noise_episode_,
                   noisy_.data());
  alphas_ = batch_alphas(batch_, alpha_, seed_, noise_episode_);
  backend_->set_image_channel(noisy_);
  if (ab_) ab_->set_image_channel(noisy_);
  ++inputs_serial_;
  timeline_restart();
}

void LiveSim::restart(bool fresh_noise) {
  ++inputs_serial_;
  if (fresh_noise) ++noise_episode_;
  const float alpha = has_target_ ? alpha_ : 0.0f;
  backend_->reset(clean_, batch_, alpha, seed_, noise_episode_);
  if (ab_) ab_->reset(clean_, batch_, alpha, seed_, noise_episode_);
  noisy_ = backend_->image();
  alphas_ = batch_alphas(batch_, alpha, seed_, noise_episode_);
  pacer_.restart(now_seconds());
  timeline_restart();
}

void LiveSim::record_frame() {
  if (!record_active_) return;
  if (record_.input.empty() || recorded_serial_ != inputs_serial_) {
    record_.noisy.push_back(noisy_);
    record_.clean.push_back(clean_);
    recorded_serial_ = inputs_serial_;
  }
  record_.frames.push_back(backend_->image());
  record_.steps.push_back(backend_->live_step());
  record_.input.push_back(int(record_.noisy.size()) - 1);
  {
    std::lock_guard<std::mutex> lock(mu_);
    record_frames_ = int(record_.frames.size());
  }
  if (int(record_.frames.size()) >= kMaxRecordFrames) {
    record_.capped = true;
    finish_recording();
  }
}

void LiveSim::finish_recording() {
  if (!record_active_) return;
  record_active_ = false;
  std::lock_guard<std::mutex> lock(mu_);
  finished_ = std::move(record_);
  record_ = SimRecording{};
  record_ready_ = true;
  record_frames_ = 0;
}

void LiveSim::publish(bool inputs_changed) {
  if (on_publish_) on_publish_(*backend_);  // must not throw (StateExchange::publish does not)
  SimSnapshot s;
  s.batch = batch_;
  s.height = config_.height;
  s.width = config_.width;
  s.channels = config_.channels;
  s.step = backend_->live_step();
  s.has_target = has_target_;
  s.noise_seed = seed_;
  s.noise_episode = noise_episode_;
  s.state = backend_->state();
  const size_t cells = size_t(config_.cells()), c = size_t(config_.channels);
  s.mse.resize(size_t(batch_));
  std::vector<float> img(cells);
  for (int b = 0; b < batch_; ++b) {
    for (size_t i = 0; i < cells; ++i) img[i] = s.state[(size_t(b) * cells + i) * c + c - 1];
    s.mse[size_t(b)] = clipped_mse(img.data(), clean_.data() + size_t(b) * cells, cells);
  }
  s.diverged = diverged_samples(s.state.data(), batch_, cells * c);
  if (ab_) s.ab = ab_->frame(clean_, has_target_);
  const double rate = meter_.rate(now_seconds());
  std::lock_guard<std::mutex> lock(mu_);
  s.version = snapshot_.version + 1;
  s.inputs_version = snapshot_.inputs_version + (inputs_changed ? 1 : 0);
  s.playing = pacing_.playing;
  s.steps_per_sec = rate;
  if (inputs_changed || snapshot_.noisy.empty()) {
    s.noisy = noisy_;
    s.clean = clean_;
    s.alphas = alphas_;
    s.labels = labels_;
  } else {
    s.noisy.swap(snapshot_.noisy);
    s.clean.swap(snapshot_.clean);
    s.alphas.swap(snapshot_.alphas);
    s.labels.swap(snapshot_.labels);
  }
  snapshot_ = std::move(s);
}

}  // namespace rrcnn
