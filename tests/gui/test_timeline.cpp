// The studio's rollout tools without a window, on a tiny model with the CPU backend: the live
// worker's timeline (every step's image, MSE and change map; the full-state ring; forks that
// keep the shared past bit for bit; keeping either branch; brush strokes re-recording the
// newest step), its curves against a direct per-step rollout (the computation of
// `rrcnn eval --per-step`), the composed snapshot of an older step, the dropout worker against
// a direct computation, and the script actions.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <thread>

#include "core/cpu_backend.h"
#include "core/init.h"
#include "core/mc_dropout.h"
#include "core/metrics.h"
#include "core/rollout_stats.h"
#include "gui/live/live_sim.h"
#include "gui/live/mc_worker.h"
#include "gui/live/timeline_ui.h"
#include "gui/scripting/script.h"
#include "gui/scripting/script_commands.h"
#include "worker_fixture.h"

using namespace rrcnn;
using namespace rrcnn::worker_fixture;

namespace {

SimSnapshot snapshot(LiveSim& sim) {
  sim.sync();
  SimSnapshot s;
  sim.fetch(&s);
  return s;
}

void step(LiveSim& sim, int n) {
  SimCommand c{SimOp::kStep};
  c.n = n;
  sim.post(c);
  sim.sync();
}

std::vector<float> random_state(const HistoryShape& sh, int seed) {
  std::vector<float> s(sh.state_floats());
  for (size_t i = 0; i < s.size(); ++i) s[i] = float((i * 31 + size_t(seed) * 17) % 13) / 13.0f;
  return s;
}

}  // namespace

TEST_CASE("timeline: every step's image, MSE and change map; the ring keeps the newest states") {
  const HistoryShape sh{2, 6, 3};
  LiveTimeline tl;
  TimelineSettings set;
  set.full_steps = 3;
  tl.configure(set);
  const std::vector<float> clean(sh.image_floats(), 0.5f);
  std::vector<std::vector<float>> states;
  for (int t = 0; t < 8; ++t) states.push_back(random_state(sh, t));
  tl.restart(sh, clean, true, 0, states[0]);
  for (int t = 1; t < 8; ++t) tl.record(t, states[size_t(t)]);
  const TimelineInfo info = tl.info();
  CHECK(info.first == 0);
  CHECK(info.last == 7);
  CHECK(info.first_full == 5);  // a ring of 3: steps 5, 6, 7
  CHECK(info.full_capacity == 3);
  CHECK(info.bytes == 8 * sh.image_bytes() + 3 * sh.state_bytes() + 7 * sh.image_bytes());
  TimelineFrame f;
  REQUIRE(tl.frame(6, &f));
  CHECK(f.has_state);
  CHECK(f.state == states[6]);
  std::vector<float> want(sh.image_floats());
  change_map(states[5].data(), states[6].data(), sh.batch, sh.cells, sh.channels, want.data());
  CHECK(f.change == want);
  const std::vector<double> mse = per_sample_mse(f.image.data(), clean.data(), sh.batch, sh.cells);
  CHECK(f.mse == mse);
  REQUIRE(tl.frame(2, &f));  // an old step: image, change and MSE, no state
  CHECK_FALSE(f.has_state);
  CHECK(f.state.empty());
  CHECK(f.change.size() == sh.image_floats());
  REQUIRE(tl.frame(0, &f));
  CHECK(f.change.empty());  // nothing before the first step
  REQUIRE(tl.frame(99, &f));
  CHECK(f.step == 7);  // clamped
  uint64_t v = 0;
  TimelineCurve curve, original;
  REQUIRE(tl.curves(&v, &curve, &original));
  CHECK(curve.first == 0);
  CHECK(curve.mse.size() == 8);
  CHECK(original.mse.empty());
  CHECK_FALSE(tl.curves(&v, &curve, &original));  // nothing new
  // A brush stroke re-records the newest step.
  tl.record(7, states[0]);
  REQUIRE(tl.frame(7, &f));
  CHECK(f.state == states[0]);
  CHECK(tl.info().last == 7);
  // No target: the curve has no values, so nothing is plotted.
  tl.restart(sh, clean, false, 0, states[0]);
  tl.record(1, states[1]);
  tl.curves(&v, &curve, &original);
  CHECK(curve.mse.size() == 2);
  CHECK(curve.mse[1].empty());
  // Off: nothing is kept.
  set.enabled = false;
  tl.configure(set);
  CHECK(tl.info().empty);
  CHECK_FALSE(tl.frame(0, &f));
}

TEST_CASE("timeline: default ring within 256 MB for the seed config") {
  const HistoryShape seed{8, 28 * 28, 64};
  const int n = default_full_steps(seed);
  CHECK(n >= 100);
  CHECK(timeline_bytes(seed, n) <= kTimelineDefaultTotal);
  CHECK(timeline_bytes(seed, n + 1) > kTimelineDefaultTotal);
}

TEST_CASE("live view: the timeline curve is the per-step MSE of a direct rollout") {
  auto sim = make_sim(3, 0.5f);
  step(*sim, 9);
  const SimSnapshot s = snapshot(*sim);
  uint64_t v = 0;
  TimelineCurve curve, original;
  sim->timeline().curves(&v, &curve, &original);
  REQUIRE(curve.mse.size() == 10);
  // The same rollout as `rrcnn eval --per-step` computes it: reset, step(n, trajectory),
  // per_sample_mse of every image.
  CpuBackend direct(tiny());
  direct.set_params(params_for(tiny()));
  direct.set_live_dropout(0.5f);
  direct.reset(s.clean, 3, -1.0f, s.noise_seed, s.noise_episode);
  const int px = tiny().cells();
  CHECK(curve.mse[0] == per_sample_mse(direct.image().data(), s.clean.data(), 3, px));
  std::vector<float> traj;
  direct.step(9, &traj);
  for (int t = 0; t < 9; ++t) {
    const std::vector<double> want = per_sample_mse(traj.data() + size_t(t) * 3 * px, s.clean.data(), 3, px);
    for (int b = 0; b < 3; ++b) CHECK(curve.mse[size_t(t + 1)][size_t(b)] == doctest::Approx(want[size_t(b)]).epsilon(1e-5));
  }
  // The snapshot's MSE is the curve's newest point.
  for (int b = 0; b < 3; ++b) CHECK(s.mse[size_t(b)] == doctest::Approx(curve.mse.back()[size_t(b)]));
}

TEST_CASE("live view: a fork keeps the shared past bit for bit; keep original or branch") {
  auto sim = make_sim(2, 0.5f);
  step(*sim, 12);
  TimelineFrame before[13];
  for (int t = 0; t <= 12; ++t) REQUIRE(sim->timeline().frame(t, &before[t]));
  SimCommand fork{SimOp::kFork};
  fork.n = 5;
  sim->post(fork);
  SimSnapshot s = snapshot(*sim);
  CHECK(s.step == 5);
  TimelineInfo info = sim->timeline().info();
  CHECK(info.forked);
  CHECK(info.fork_step == 5);
  CHECK(info.original_last == 12);
  CHECK(info.last == 5);
  CHECK(s.state == before[5].state);  // the branch starts from the kept state
  // The branch runs on; the shared steps 0..5 stay exactly as they were.
  step(*sim, 7);
  for (int t = 0; t <= 5; ++t) {
    TimelineFrame f;
    REQUIRE(sim->timeline().frame(t, &f));
    CHECK(f.image == before[t].image);
    CHECK(f.state == before[t].state);
    CHECK(f.mse == before[t].mse);
  }
  // The original is kept beside it.
  TimelineFrame o;
  REQUIRE(sim->timeline().original_frame(12, &o));
  CHECK(o.image == before[12].image);
  uint64_t v = 0;
  TimelineCurve curve, original;
  sim->timeline().curves(&v, &curve, &original);
  CHECK(curve.last() == 12);
  CHECK(original.last() == 12);
  // Untouched, the branch repeats the original's masks: equal to float rounding (the CPU
  // backend's perception is updated incrementally within a rollout, recomputed after a fork).
  TimelineFrame b12;
  REQUIRE(sim->timeline().frame(12, &b12));
  for (size_t i = 0; i < b12.image.size(); ++i) CHECK(b12.image[i] == doctest::Approx(o.image[i]).epsilon(1e-3));
  // Keep the original: it resumes from its newest state.
  SimCommand keep{SimOp::kForkKeep};
  keep.flag = true;
  sim->post(keep);
  s = snapshot(*sim);
  CHECK(s.step == 12);
  CHECK(s.state == before[12].state);
  info = sim->timeline().info();
  CHECK_FALSE(info.forked);
  CHECK(info.last == 12);
  TimelineFrame f;
  REQUIRE(sim->timeline().frame(9, &f));
  CHECK(f.image == before[9].image);
  CHECK(sim->timeline().info().first_full == 12);
  // Fork again and keep the branch: the original goes.
  fork.n = 12;
  sim->post(fork);
  step(*sim, 2);
  keep.flag = false;
  sim->post(keep);
  s = snapshot(*sim);
  CHECK(s.step == 14);
  CHECK_FALSE(sim->timeline().info().forked);
  CHECK_FALSE(sim->timeline().original_frame(12, &f));
}

TEST_CASE("live view: a fork needs the full state; off, nothing is recorded") {
  auto sim = make_sim(2, 0.5f);
  SimCommand small{SimOp::kSetTimeline};
  small.timeline.full_steps = 2;
  sim->post(small);
  step(*sim, 6);
  CHECK(sim->timeline().info().first_full == 5);
  SimCommand fork{SimOp::kFork};
  fork.n = 1;
  sim->post(fork);
  sim->sync();
  const auto errors = sim->take_errors();
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("not kept") != std::string::npos);
  CHECK(snapshot(*sim).step == 6);  // nothing changed
  SimCommand off{SimOp::kSetTimeline};
  off.timeline.enabled = false;
  sim->post(off);
  step(*sim, 3);
  CHECK(sim->timeline().info().empty);
  CHECK(snapshot(*sim).step == 9);
  // Back on: the record starts at the current step.
  sim->post(small);
  step(*sim, 1);
  const TimelineInfo i = sim->timeline().info();
  CHECK(i.first == 9);
  CHECK(i.last == 10);
}

TEST_CASE("live view: a brush stroke re-records the newest step; a reset starts a new record") {
  auto sim = make_sim(1, 0.5f);
  step(*sim, 3);
  SimCommand b{SimOp::kBrush};
  b.stroke.sample = 0;
  b.stroke.x0 = b.stroke.x1 = 2.5f;
  b.stroke.y0 = b.stroke.y1 = 3.5f;
  b.stroke.radius = 2;
  b.stroke.mode = BrushMode::kErase;
  sim->post(b);
  const SimSnapshot s = snapshot(*sim);
  TimelineFrame f;
  REQUIRE(sim->timeline().frame(3, &f));
  CHECK(f.state == s.state);
  CHECK(sim->timeline().info().last == 3);
  sim->post(SimCommand{SimOp::kReset});
  sim->sync();
  const TimelineInfo i = sim->timeline().info();
  CHECK(i.first == 0);
  CHECK(i.last == 0);
}

TEST_CASE("composed snapshot of a kept step") {
  SimSnapshot live;
  live.batch = 2;
  live.height = 1;
  live.width = 3;
  live.channels = 2;
  live.clean = {0, 1, 0, 1, 0, 1};
  live.noisy = live.clean;
  live.labels = {4, 5};
  live.inputs_version = 7;
  TimelineFrame f;
  f.step = 3;
  f.image = {0.5f, 1, 0, 1, 0, 0};
  SimSnapshot out;
  compose_history_snapshot(live, f, 99, &out);
  CHECK(out.version == 99);
  CHECK(out.from_history);
  CHECK(out.step == 3);
  CHECK(out.labels == live.labels);
  CHECK(out.inputs_version == 7);
  REQUIRE(out.state.size() == 12);
  CHECK(out.state[0] == 0.0f);  // hidden channels not kept: zeros
  CHECK(out.state[1] == 0.5f);  // the image channel
  CHECK(out.state[11] == 0.0f);
  REQUIRE(out.mse.size() == 2);
  CHECK(out.mse[0] == doctest::Approx(0.25 / 3));
  CHECK(out.mse[1] == doctest::Approx(1.0 / 3));
  CHECK(change_unit(0) == 0.0f);
  CHECK(change_unit(kChangeHi * 2) == 1.0f);
  CHECK(change_unit(std::nanf("")) == 1.0f);
  CHECK(change_unit(std::sqrt(kChangeLo * kChangeHi)) == doctest::Approx(0.5f));
}

TEST_CASE("dropout worker: the result matches a direct computation; cancel stops it") {
  const ModelConfig cfg = tiny();
  auto sim = make_sim(2, 0.5f);
  const SimSnapshot s = snapshot(*sim);
  McWorker mc([](const ModelConfig& c) { return std::make_unique<CpuBackend>(c); });
  McRequest r;
  r.config = cfg;
  r.params = std::make_shared<const std::vector<float>>(params_for(cfg));
  r.dropout = 0.5f;
  r.batch = 2;
  r.k = 5;
  r.steps = 11;
  r.clean = s.clean;
  r.noisy = s.noisy;
  r.seed = s.noise_seed;
  r.episode = s.noise_episode;
  r.rollout_id = 42;
  mc.start(r);
  mc.wait_idle();
  McResult res;
  REQUIRE(mc.take(&res));
  CHECK_FALSE(mc.take(&res) == true);
  CHECK(res.rollout_id == 42);
  CHECK(res.k == 5);
  // Direct: the same start, the same batch of K copies, summarised by core.
  CpuBackend direct(cfg);
  direct.set_params(params_for(cfg));
  direct.set_live_dropout(0.5f);
  direct.reset(s.clean, 2, 0.0f, s.noise_seed, s.noise_episode);
  const McRollouts run = run_mc_rollouts(direct, s.state, 2, 5, 11, s.clean.data());
  const McSummary sum = summarize_mc(run.finals.data(), 5, s.clean.data(), 2, cfg.cells());
  CHECK(res.mean == sum.mean);
  CHECK(res.std_dev == sum.std_dev);
  CHECK(res.mean_mse == sum.mean_mse);
  CHECK(res.single_mse == sum.single_mse);
  std::vector<double> m, sd;
  mc_step_band(run, &m, &sd);
  CHECK(res.band_mean == m);
  CHECK(res.band_sd == sd);
  CHECK(res.band_mean.size() == 12);
  // Copy 0 is the live rollout: its MSE after 11 steps is the live view's.
  step(*sim, 11);
  const SimSnapshot after = snapshot(*sim);
  for (int b = 0; b < 2; ++b) CHECK(res.single_mse[size_t(b)] == doctest::Approx(after.mse[size_t(b)]).epsilon(1e-4));
  // A long run, cancelled: no result, not busy.
  r.steps = 200000;
  mc.start(r);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(mc.progress().busy);
  mc.cancel();
  mc.wait_idle();
  CHECK_FALSE(mc.progress().busy);
  CHECK_FALSE(mc.take(&res));
  // Bad requests: one clear line.
  r.steps = 5;
  r.k = 33;
  CHECK_THROWS_WITH(mc.start(r), doctest::Contains("outside 1..32"));
  r.k = 4;
  r.dropout = 0;
  CHECK_THROWS_WITH(mc.start(r), doctest::Contains("dropout > 0"));
}

TEST_CASE("script: the timeline's actions and observations") {
  const auto acts = parse_script(
      "timeline on 64\nshow-step 12\nshow-step newest\nfork 7\nkeep original\ncurves psnr\n"
      "uncertainty 8\nuncertainty-cancel\nwait-uncertainty 100\nview change\nview std\n"
      "assert shown-step 3\nassert forked false\nassert uncertainty none\n",
      "t");
  REQUIRE(acts.size() == 14);
  StudioState s;
  Command c;
  REQUIRE(studio_action_command(acts[0], s, &c));
  CHECK(c.kind == Cmd::kSetTimeline);
  CHECK(c.timeline.settings.enabled);
  CHECK(c.timeline.settings.full_steps == 64);
  REQUIRE(studio_action_command(acts[1], s, &c));
  CHECK(c.kind == Cmd::kTimelineSeek);
  CHECK(c.n == 12);
  REQUIRE(studio_action_command(acts[2], s, &c));
  CHECK(c.n == -1);
  REQUIRE(studio_action_command(acts[3], s, &c));
  CHECK(c.kind == Cmd::kTimelineFork);
  CHECK(c.n == 7);
  REQUIRE(studio_action_command(acts[4], s, &c));
  CHECK(c.kind == Cmd::kTimelineKeep);
  CHECK(c.flag);
  REQUIRE(studio_action_command(acts[5], s, &c));
  CHECK(c.timeline.psnr);
  REQUIRE(studio_action_command(acts[6], s, &c));
  CHECK(c.kind == Cmd::kMcStart);
  CHECK(c.n == 8);
  REQUIRE(studio_action_command(acts[9], s, &c));
  CHECK(c.view.inspect == InspectView::kChange);
  REQUIRE(studio_action_command(acts[10], s, &c));
  CHECK(c.view.inspect == InspectView::kMcStd);
  s.tl.shown_step = 3;
  CHECK(observed(s, "shown-step") == "3");
  CHECK(observed(s, "forked") == "false");
  CHECK(observed(s, "uncertainty") == "none");
  CHECK_THROWS_WITH(parse_script("keep both\n", "t"), doctest::Contains("t:1"));
}

TEST_CASE("timeline: curves are copied incrementally and anew after a rewrite") {
  const HistoryShape sh{1, 4, 2};
  LiveTimeline tl;
  tl.configure(TimelineSettings{});
  const std::vector<float> clean(sh.image_floats(), 0.25f);
  tl.restart(sh, clean, true, 0, random_state(sh, 0));
  for (int t = 1; t < 5; ++t) tl.record(t, random_state(sh, t));
  uint64_t v = 0;
  TimelineCurve live, original;
  REQUIRE(tl.curves(&v, &live, &original));
  CHECK(live.mse.size() == 5);
  for (int t = 5; t < 9; ++t) tl.record(t, random_state(sh, t));
  REQUIRE(tl.curves(&v, &live, &original));
  TimelineCurve fresh, o2;
  uint64_t v2 = 0;
  tl.curves(&v2, &fresh, &o2);
  CHECK(live.mse == fresh.mse);  // appended rows equal a full copy
  // A brush stroke re-records the newest step: a full copy with the new row.
  tl.record(8, random_state(sh, 20));
  REQUIRE(tl.curves(&v, &live, &original));
  v2 = 0;
  tl.curves(&v2, &fresh, &o2);
  CHECK(live.mse == fresh.mse);
  // A fork: the branch is cut back, the original appears.
  tl.fork(6, random_state(sh, 8), 8);
  REQUIRE(tl.curves(&v, &live, &original));
  CHECK(live.mse.size() == 7);
  CHECK(original.mse.size() == 9);
  tl.record(7, random_state(sh, 30));
  REQUIRE(tl.curves(&v, &live, &original));
  CHECK(live.mse.size() == 8);
  CHECK(original.mse.size() == 9);
}
