// The two worker threads on a tiny model with the CPU backend: the live view applies commands
// in order, pauses itself at the end of a rollout and records; the trainer walks its states,
// publishes losses and weights, and Stop answers while a run is going.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "core/cpu_backend.h"
#include "core/init.h"
#include "gui/live/live_sim.h"
#include "gui/training/train_probe.h"
#include "gui/training/trainer.h"
#include "worker_fixture.h"

using namespace rrcnn;
using namespace rrcnn::worker_fixture;

namespace {

template <typename Pred>
bool eventually(Pred pred, double seconds = 20) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return pred();
}

float cell(const SimSnapshot& s, int b, int x, int y, int c) {
  return s.state[((size_t(b) * s.height + y) * s.width + x) * s.channels + c];
}

}  // namespace

TEST_CASE("live view: first snapshot, steps, brush strokes in order") {
  auto sim = make_sim(2);
  SimSnapshot s;
  REQUIRE(sim->fetch(&s));
  CHECK(s.batch == 2);
  CHECK(s.step == 0);
  CHECK(s.has_target);
  CHECK(s.noisy.size() == 2u * 35);
  CHECK(s.clean.size() == 2u * 35);
  CHECK(s.labels.size() == 2);
  CHECK(s.mse.size() == 2);
  CHECK_FALSE(sim->fetch(&s));  // nothing new

  SimCommand step(SimOp::kStep);
  step.n = 3;
  sim->post(step);
  SimCommand erase(SimOp::kBrush);
  erase.stroke.sample = 0;
  erase.stroke.x0 = erase.stroke.x1 = 2.5f;
  erase.stroke.y0 = erase.stroke.y1 = 3.5f;
  erase.stroke.radius = 0.6f;
  erase.stroke.mode = BrushMode::kErase;
  sim->post(erase);
  sim->sync();
  REQUIRE(sim->fetch(&s));
  CHECK(s.step == 3);
  for (int c = 0; c < 4; ++c) CHECK(cell(s, 0, 2, 3, c) == 0.0f);

  SimCommand draw = erase;
  draw.stroke.mode = BrushMode::kDraw;
  draw.stroke.strength = 0.9f;
  sim->post(draw);
  sim->sync();
  REQUIRE(sim->fetch(&s));
  CHECK(cell(s, 0, 2, 3, 3) == doctest::Approx(0.9f));
  CHECK(cell(s, 0, 2, 3, 0) == 0.0f);  // draw touches the image channel only
}

TEST_CASE("live view: blank canvas, add noise, bad commands become errors") {
  auto sim = make_sim(2);
  SimSnapshot s;
  sim->post(SimCommand(SimOp::kBlank));
  sim->sync();
  REQUIRE(sim->fetch(&s));
  CHECK_FALSE(s.has_target);
  for (float v : s.state) CHECK(v == 0.0f);
  SimCommand draw(SimOp::kBrush);
  draw.stroke.sample = -1;
  draw.stroke.x0 = draw.stroke.x1 = 2.5f;
  draw.stroke.y0 = draw.stroke.y1 = 2.5f;
  draw.stroke.radius = 1.2f;
  sim->post(draw);
  sim->post(SimCommand(SimOp::kAddNoise));
  sim->sync();
  REQUIRE(sim->fetch(&s));
  CHECK(s.has_target);
  CHECK(s.clean[size_t(2 * 5 + 2)] == doctest::Approx(1.0f));  // the drawing became the target
  CHECK(s.step == 0);

  SimCommand bad(SimOp::kSetBatch);
  bad.n = 0;
  sim->post(bad);
  sim->sync();
  const auto errors = sim->take_errors();
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("batch") != std::string::npos);
  CHECK(sim->take_errors().empty());
}

TEST_CASE("live view: plays to the rollout length, pauses itself, records a GIF's frames") {
  auto sim = make_sim(3);
  SimPacing p;
  p.playing = true;
  p.max_speed = true;
  p.rollout_length = 6;
  sim->set_pacing(p);
  SimSnapshot s;
  REQUIRE(eventually([&] {
    sim->fetch(&s);
    return s.step == 6 && !sim->pacing().playing;
  }));
  CHECK_FALSE(s.playing);
  // Play again at the end replays from the start.
  sim->set_pacing(p);
  REQUIRE(eventually([&] { return sim->fetch(&s), s.step == 6 && !sim->pacing().playing; }));

  // A recording starts where the view is (no restart), follows steps and changes, and runs
  // past the end of the rollout until it is stopped: one recording, never a second one.
  sim->post(SimCommand(SimOp::kRecordStart));
  sim->sync();
  CHECK(sim->recording());
  CHECK(sim->recording_frames() == 1);
  SimCommand two(SimOp::kStep);
  two.n = 1;
  sim->post(two);
  sim->post(two);
  sim->post(SimCommand(SimOp::kReset));  // a new pair of inputs from here on
  sim->post(two);
  sim->sync();
  CHECK(sim->recording_frames() == 5);
  SimRecording rec;
  CHECK_FALSE(sim->take_recording(&rec));  // still recording
  sim->post(SimCommand(SimOp::kRecordStop));
  REQUIRE(eventually([&] { return sim->take_recording(&rec); }));
  CHECK(rec.batch == 3);
  REQUIRE(rec.frames.size() == 5);  // where it was, two steps, the reset, one step
  CHECK(rec.frames[0].size() == 3u * 35);
  REQUIRE(rec.steps.size() == 5);
  CHECK(rec.steps[0] == 6);  // the rollout's end, where it stood
  CHECK(rec.steps[2] == 8);
  CHECK(rec.steps[3] == 0);
  CHECK(rec.steps[4] == 1);
  REQUIRE(rec.input.size() == 5);
  CHECK(rec.input[2] == 0);
  CHECK(rec.input[3] == 1);
  REQUIRE(rec.clean.size() == 2);
  CHECK(rec.clean[0].size() == 3u * 35);
  CHECK_FALSE(rec.capped);
  CHECK_FALSE(sim->recording());
  CHECK_FALSE(sim->take_recording(&rec));  // handed over once
}

TEST_CASE("live view: an endless rollout runs on past its length (persistent models)") {
  auto sim = make_sim(2);
  SimPacing p;
  p.playing = true;
  p.max_speed = true;
  p.rollout_length = 3;
  p.endless = true;
  sim->set_pacing(p);
  SimSnapshot s;
  REQUIRE(eventually([&] { return sim->fetch(&s), s.step >= 12; }));
  CHECK(sim->pacing().playing);
  p.endless = false;  // back to a bounded rollout: it stops (at once, being past the end)
  sim->set_pacing(p);
  REQUIRE(eventually([&] { return !sim->pacing().playing; }));
}

TEST_CASE("live view: a digit whose cells blow up is flagged, a reset clears it") {
  auto sim = make_sim(2);
  SimSnapshot s;
  REQUIRE(eventually([&] { return sim->fetch(&s); }));
  CHECK(s.diverged == std::vector<uint8_t>{0, 0});
  // Weights that amplify every step: the state grows geometrically, as a model run far past
  // what it was trained for does.
  std::vector<float> wild = params_for(tiny());
  for (float& w : wild) w *= 40.0f;
  SimCommand set(SimOp::kSetParams);
  set.params = std::make_shared<const std::vector<float>>(wild);
  sim->post(set);
  SimPacing p;
  p.playing = true;
  p.max_speed = true;
  p.endless = true;
  sim->set_pacing(p);
  REQUIRE(eventually([&] {
    sim->fetch(&s);
    return s.diverged.size() == 2 && s.diverged[0] && s.diverged[1];
  }));
  p.playing = false;
  sim->set_pacing(p);
  sim->post(SimCommand{SimOp::kReset});
  REQUIRE(eventually([&] { return sim->fetch(&s), s.step == 0; }));
  CHECK(s.diverged == std::vector<uint8_t>{0, 0});
}

TEST_CASE("trainer: runs to its target, publishes losses and weights") {
  const ModelConfig c = tiny();
  Trainer t([](const ModelConfig& cfg) { return std::make_unique<CpuBackend>(cfg); });
  CHECK(t.status().phase == TrainPhase::kIdle);
  const std::vector<float> p0 = init_params(ParamLayout(c), 0);
  TrainSettings ts;
  ts.batch = 2;
  ts.target_steps = 3;
  t.start(c, p0, AdamState{}, digits(6), ts);
  REQUIRE(eventually([&] { return t.status().phase == TrainPhase::kFinished; }));
  t.poll();
  CHECK(t.status().text == "finished (completed)");
  CHECK(t.status().step == 3);
  std::vector<TrainPoint> pts;
  CHECK(t.copy_points(0, &pts) == 3);
  REQUIRE(pts.size() == 3);
  CHECK(pts[0].step == 1);
  CHECK(pts[2].step == 3);
  CHECK(pts[0].loss > 0);
  CHECK(pts[0].lr == doctest::Approx(1e-3f));
  TrainSnapshotParams w;
  REQUIRE(t.take_params(0, &w));
  CHECK(w.adam.step == 3);
  CHECK(w.params.size() == p0.size());
  CHECK(w.params != p0);  // the last layer moved
  CHECK_FALSE(t.take_params(w.version, &w));
  // Starting while a run is active is refused; a wrong-sized data set too.
  CHECK_THROWS(t.start(c, p0, AdamState{}, digits(2, 9, 9), ts));
}

TEST_CASE("trainer: pause holds, resume continues, stop answers at once") {
  const ModelConfig c = tiny();
  Trainer t([](const ModelConfig& cfg) { return std::make_unique<CpuBackend>(cfg); });
  TrainSettings ts;
  ts.batch = 2;
  ts.target_steps = 1000000;
  t.start(c, init_params(ParamLayout(c), 0), AdamState{}, digits(6), ts);
  CHECK_THROWS(t.start(c, init_params(ParamLayout(c), 0), AdamState{}, digits(6), ts));
  REQUIRE(eventually([&] { return t.status().step >= 2; }));
  t.pause();
  CHECK(t.status().phase == TrainPhase::kPaused);
  REQUIRE(eventually([&] { return !t.status().busy; }));
  const int64_t held = t.status().step;
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(t.status().step == held);
  t.resume();
  REQUIRE(eventually([&] { return t.status().step > held; }));
  ts.lr_start = ts.lr_end = 5e-4f;
  t.set_settings(ts);
  REQUIRE(eventually([&] {
    std::vector<TrainPoint> pts;
    t.copy_points(0, &pts);
    return !pts.empty() && pts.back().lr == doctest::Approx(5e-4f);
  }));
  const auto before = std::chrono::steady_clock::now();
  t.stop();
  const TrainPhase right_after = t.status().phase;
  CHECK((right_after == TrainPhase::kStopping || right_after == TrainPhase::kFinished));
  CHECK(std::chrono::steady_clock::now() - before < std::chrono::milliseconds(100));
  t.join();
  CHECK(t.status().text == "finished (stopped by the user)");
  // Continue after a stop: the step count goes on.
  const int64_t stopped_at = t.status().step;
  std::vector<TrainPoint> all;
  t.copy_points(0, &all);
  TrainSnapshotParams w;
  REQUIRE(t.take_params(0, &w));
  ts.target_steps = int(stopped_at) + 2;
  t.start(c, w.params, w.adam, digits(6), ts);
  REQUIRE(eventually([&] { return t.status().phase == TrainPhase::kFinished; }));
  CHECK(t.status().step == stopped_at + 2);
  // Other weights loaded (say a 596-step checkpoint): idle again at their step, no history.
  t.poll();
  t.forget_run(596);
  CHECK(t.status().phase == TrainPhase::kIdle);
  CHECK(t.status().step == 596);
  std::vector<TrainPoint> none;
  CHECK(t.copy_points(0, &none) == 0);
}

TEST_CASE("train probe: several measured steps per model and batch") {
  const ModelConfig c = tiny();
  TrainProbe probe([](const ModelConfig& cfg) { return std::make_unique<CpuBackend>(cfg); });
  CHECK(probe.seconds_per_step(c, 2) == 0);
  probe.request(c, params_for(c), digits(6), 2);
  REQUIRE(eventually([&] { return probe.seconds_per_step(c, 2) > 0; }));
  CHECK_FALSE(probe.busy());
  // Several steps after a warm-up: their median inside their range.
  const TrainProbe::Timing t = probe.timing(c, 2);
  CHECK(t.steps >= TrainProbe::kMinSteps);
  CHECK(t.steps <= TrainProbe::kMaxSteps);
  CHECK(t.lo > 0);
  CHECK(t.lo <= t.median);
  CHECK(t.median <= t.hi);
  CHECK(probe.seconds_per_step(c, 3) == 0);  // another batch: not measured
  const double first = probe.seconds_per_step(c, 2);
  probe.request(c, params_for(c), digits(6), 2);  // already known: nothing new
  CHECK_FALSE(probe.busy());
  CHECK(probe.seconds_per_step(c, 2) == first);
  probe.request(c, params_for(c), digits(6), 3);
  REQUIRE(eventually([&] { return probe.seconds_per_step(c, 3) > 0; }));
  CHECK(probe.seconds_per_step(c, 2) == 0);  // the probe keeps the latest measurement only
}

TEST_CASE("trainer: a diverging step is undone, the run pauses on the last good weights") {
  const ModelConfig c = tiny();
  Trainer t([](const ModelConfig& cfg) { return std::make_unique<CpuBackend>(cfg); });
  // Weights so large that the rollout overflows: the first step's loss is not finite.
  std::vector<float> huge = params_for(c);
  const ParamLayout layout(c);
  const TensorSpec& w = layout.layer_kernel(c.num_layers() - 1);
  for (size_t i = 0; i < w.count; ++i) huge[w.offset + i] = 1e30f;
  TrainSettings ts;
  ts.batch = 2;
  ts.target_steps = 100;
  t.start(c, huge, AdamState{}, digits(6), ts);
  REQUIRE(eventually([&] { return t.status().divergence.count == 1; }));
  TrainStatus st = t.status();
  CHECK(st.phase == TrainPhase::kPaused);
  CHECK(st.text == "paused (diverged)");
  CHECK(st.divergence.step == 1);
  CHECK(st.divergence.lr == doctest::Approx(1e-3f));
  CHECK(st.step == 0);
  TrainSnapshotParams p;
  REQUIRE(t.take_params(0, &p));
  CHECK(p.params == huge);  // the weights from before the step, finite
  CHECK(p.adam.step == 0);
  std::vector<TrainPoint> pts;
  CHECK(t.copy_points(0, &pts) == 0);  // no point for the undone step
  t.resume();                          // the same weights diverge again: paused again
  REQUIRE(eventually([&] { return t.status().divergence.count == 2; }));
  CHECK(t.status().phase == TrainPhase::kPaused);
  t.stop();
  t.join();
  CHECK(t.status().text == "finished (stopped by the user)");
}
