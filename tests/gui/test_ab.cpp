// A/B (app/gui/ab) without a window, on tiny models with the CPU backend: B beside A in the live
// worker must give each model exactly its single-model trajectory (same digits, noise, dropout
// masks, strokes, forks), bit for bit, also when B has another channel count and hidden size,
// when A's weights change under it (training) and with the timeline on or off; B of another
// grid is refused with one line; B's timeline curves score B. Plus the config comparison line.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/cpu_backend.h"
#include "core/init.h"
#include "core/metrics.h"
#include "gui/ab/ab_session.h"
#include "gui/ab/ab_compare.h"
#include "gui/ab/ab_slot.h"
#include "gui/live/live_sim.h"
#include "gui/scripting/script.h"
#include "gui/scripting/script_commands.h"
#include "worker_fixture.h"

using namespace rrcnn;

namespace {

ModelConfig cfg_a() { return worker_fixture::tiny(); }

ModelConfig cfg_b() {  // another channel count, perception and hidden size on the same grid
  ModelConfig c = cfg_a();
  c.channels = 6;
  c.perception = 9;
  c.hidden = {10, 7};
  return c;
}

using worker_fixture::digits;
using worker_fixture::params_for;

std::unique_ptr<Backend> backend_for(const ModelConfig& c, const std::vector<float>& params) {
  auto b = std::make_unique<CpuBackend>(c);
  b->set_params(params);
  b->set_live_dropout(0.5f);
  return b;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

void post(LiveSim& sim, SimCommand c) {
  sim.post(c);
  sim.sync();
}

SimCommand op(SimOp o, int n = 0, bool flag = false) {
  SimCommand c{o};
  c.n = n;
  c.flag = flag;
  return c;
}

// The user's session: steps, strokes of every brush, new noise, new digits keeping the hidden
// channels, a dropout change, new weights for A mid-rollout (training publishing), and with the
// timeline a fork and keeping the original.
struct Run {
  std::vector<float> state_a, state_b;
  int64_t step = 0;
};

void session(LiveSim& sim, bool timeline, const std::vector<float>& trained) {
  SimCommand t{SimOp::kSetTimeline};
  t.timeline.enabled = timeline;
  post(sim, t);
  post(sim, op(SimOp::kStep, 4));
  SimCommand brush{SimOp::kBrush};
  brush.stroke.sample = 1;
  brush.stroke.x0 = 1.5f;
  brush.stroke.y0 = 2.5f;
  brush.stroke.x1 = 3.5f;
  brush.stroke.y1 = 5.5f;
  brush.stroke.radius = 1.5f;
  brush.stroke.mode = BrushMode::kDraw;
  post(sim, brush);
  brush.stroke.mode = BrushMode::kNoise;
  brush.stroke.strength = 0.4f;
  brush.stroke.serial = 7;
  post(sim, brush);
  post(sim, op(SimOp::kStep, 3));
  SimCommand p{SimOp::kSetParams};
  p.params = std::make_shared<const std::vector<float>>(trained);  // A trains on
  post(sim, p);
  post(sim, op(SimOp::kStep, 2));
  SimCommand d{SimOp::kSetDropout};
  d.value = 0.25f;
  post(sim, d);
  post(sim, op(SimOp::kStep, 2));
  post(sim, op(SimOp::kNewDigits, 0, true));  // keep hidden
  post(sim, op(SimOp::kStep, 3));
  if (timeline) {
    post(sim, op(SimOp::kFork, 12));
    brush.stroke.mode = BrushMode::kErase;
    post(sim, brush);
    post(sim, op(SimOp::kStep, 2));
    post(sim, op(SimOp::kForkKeep, 0, true));  // back to the original
    post(sim, op(SimOp::kStep, 1));
  }
  post(sim, op(SimOp::kNewNoise));
  post(sim, op(SimOp::kStep, 5));
}

Run alone(const ModelConfig& c, const std::vector<float>& params,
          const std::vector<float>& trained, bool timeline) {
  LiveSim sim(backend_for(c, params), digits(9), 3, 11);
  session(sim, timeline, trained);
  SimSnapshot s;
  sim.fetch(&s);
  for (const std::string& e : sim.take_errors()) FAIL_CHECK(e);
  return Run{s.state, {}, s.step};
}

Run together(const ModelConfig& a, const std::vector<float>& pa, const std::vector<float>& trained,
             const ModelConfig& b, const std::vector<float>& pb, bool timeline,
             std::shared_ptr<LiveTimeline>* b_timeline = nullptr) {
  LiveSim sim(backend_for(a, pa), digits(9), 3, 11);
  auto tl = std::make_shared<LiveTimeline>();
  SimCommand attach{SimOp::kAbAttach};
  attach.ab = std::make_shared<AbSlot>(backend_for(b, pb), tl);
  post(sim, op(SimOp::kStep, 6));  // A alone first: attaching restarts both at step 0
  post(sim, attach);
  session(sim, timeline, trained);
  SimSnapshot s;
  sim.fetch(&s);
  for (const std::string& e : sim.take_errors()) FAIL_CHECK(e);
  REQUIRE(bool(s.ab));
  CHECK(s.ab->step == s.step);
  if (b_timeline) *b_timeline = tl;
  return Run{s.state, s.ab->state, s.step};
}

}  // namespace

TEST_CASE("A/B: each model's trajectory is exactly its single-model one (other config, training)") {
  const std::vector<float> pa = params_for(cfg_a(), 3), trained = params_for(cfg_a(), 5);
  for (const bool timeline : {false, true}) {
    CAPTURE(timeline);
    // B of another size (as lite beside seed), and B a frozen copy of A's weights (a snapshot).
    const std::vector<float> pb = params_for(cfg_b(), 4);
    const Run a = alone(cfg_a(), pa, trained, timeline);
    const Run b = alone(cfg_b(), pb, pb, timeline);  // B never gets new weights
    const Run ab = together(cfg_a(), pa, trained, cfg_b(), pb, timeline);
    CHECK(ab.step == a.step);
    CHECK(same_bits(ab.state_a, a.state_a));
    CHECK(same_bits(ab.state_b, b.state_a));
    const Run snap = alone(cfg_a(), pa, pa, timeline);  // the snapshot alone: frozen weights
    const Run ab2 = together(cfg_a(), pa, trained, cfg_a(), pa, timeline);
    CHECK(same_bits(ab2.state_a, a.state_a));
    CHECK(same_bits(ab2.state_b, snap.state_a));
    CHECK_FALSE(same_bits(ab2.state_a, ab2.state_b));  // A trained on, B did not
  }
}

TEST_CASE("live view: A/B, B's timeline curve and frame score B against the same targets (the UI reads B's record while the worker writes it)") {
  const std::vector<float> pa = params_for(cfg_a(), 3), pb = params_for(cfg_b(), 4);
  LiveSim sim(backend_for(cfg_a(), pa), digits(9), 2, 5);
  auto tl = std::make_shared<LiveTimeline>();
  SimCommand attach{SimOp::kAbAttach};
  attach.ab = std::make_shared<AbSlot>(backend_for(cfg_b(), pb), tl);
  post(sim, attach);
  post(sim, op(SimOp::kStep, 5));
  SimSnapshot s;
  sim.fetch(&s);
  REQUIRE(bool(s.ab));
  const int cells = 35;
  for (int b = 0; b < 2; ++b)
    CHECK(s.ab->mse[size_t(b)] == clipped_mse(s.ab->image.data() + b * cells,
                                              s.clean.data() + b * cells, size_t(cells)));
  uint64_t v = 0;
  TimelineCurve curve, original;
  REQUIRE(tl->curves(&v, &curve, &original));
  CHECK(curve.first == 0);
  REQUIRE(curve.mse.size() == 6);
  CHECK(curve.mse.back() == s.ab->mse);
  CHECK(s.ab->channels == 6);
  // Off: the next snapshot has no B, and stepping costs A's steps only.
  post(sim, SimCommand{SimOp::kAbAttach});
  post(sim, op(SimOp::kStep, 1));
  sim.fetch(&s);
  CHECK(!s.ab);
  CHECK(s.step == 6);
}

TEST_CASE("A/B: B of another grid is refused with one line naming both grids") {
  ModelConfig other = cfg_a();
  other.height = 8;
  LiveSim sim(backend_for(cfg_a(), params_for(cfg_a(), 3)), digits(4), 2, 5);
  SimCommand attach{SimOp::kAbAttach};
  attach.ab = std::make_shared<AbSlot>(backend_for(other, params_for(other, 2)),
                                       std::make_shared<LiveTimeline>());
  post(sim, attach);
  const std::vector<std::string> errors = sim.take_errors();
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("B's grid is 8x5 but A's is 7x5") != std::string::npos);
  SimSnapshot s;
  sim.fetch(&s);
  CHECK(!s.ab);
}

TEST_CASE("A/B: the comparison line names what differs and what is shared") {
  ModelConfig a = cfg_a(), b = cfg_b();
  a.dropout_rate = 0.5f;
  b.dropout_rate = 0.25f;
  const AbComparison c = compare_models(a, b);
  CHECK(c.compatible);
  CHECK(c.differs.find("channels 4 vs 6") != std::string::npos);
  CHECK(c.differs.find("hidden 8 vs 10,7") != std::string::npos);
  CHECK(c.differs.find("trained dropout 0.5 vs 0.25") != std::string::npos);
  CHECK(c.shared.find("masks") != std::string::npos);
  CHECK(compare_models(a, a).differs.empty());
  ModelConfig g = a;
  g.width = 6;
  const AbComparison bad = compare_models(a, g);
  CHECK_FALSE(bad.compatible);
  CHECK(bad.differs.find("grid 7x5 vs 7x6") != std::string::npos);
}

TEST_CASE("script: A/B's actions and observations") {
  const auto acts = parse_script(
      "ab load b.safetensors\nab model rrcnn-pool\nab snapshot\nab swap\nab off\nab b-tile off\n"
      "ab diff on\nassert ab on\nassert ab-name lite\nassert ab-differs channels 64 vs 16\n",
      "t");
  REQUIRE(acts.size() == 10);
  StudioState s;
  ShippedModel pool;
  pool.name = "rrcnn-pool";
  pool.path = "/assets/rrcnn-pool.safetensors";
  s.models.push_back(pool);
  Command c;
  const AbAction want[] = {AbAction::kLoad, AbAction::kLoad, AbAction::kSnapshot, AbAction::kSwap,
                           AbAction::kOff, AbAction::kShowB, AbAction::kShowDiff};
  for (int i = 0; i < 7; ++i) {
    CAPTURE(i);
    REQUIRE(studio_action_command(acts[size_t(i)], s, &c));
    CHECK(c.kind == Cmd::kAb);
    CHECK(c.n == int(want[i]));
    if (i == 0) CHECK(c.path == "b.safetensors");
    if (i == 1) CHECK(c.path == pool.path);
    if (i == 5) CHECK_FALSE(c.flag);
    if (i == 6) CHECK(c.flag);
  }
  CHECK(observed(s, "ab") == "off");
  s.ab.state.on = true;
  s.ab.b_name = "lite";
  s.ab.differs = "channels 64 vs 16";
  CHECK(observed(s, "ab") == "on");
  CHECK(observed(s, "ab-name") == "lite");
  CHECK(observed(s, "ab-differs") == "channels 64 vs 16");
  CHECK_THROWS_WITH(parse_script("ab twice\n", "t"), doctest::Contains("t:1"));
}

TEST_CASE("A/B in session files: the setting round-trips, bad objects are named, recordings get script lines") {
  AbState s;
  s.on = true;
  s.source = AbSource::kFile;
  s.path = "/models/b.safetensors";
  s.snapshot_step = 12;
  s.show_b = false;
  s.show_diff = true;
  const AbState r = ab_state_from_json(ab_session_json(s), "t.json");
  CHECK(r.on);
  CHECK(r.source == AbSource::kFile);
  CHECK(r.path == s.path);
  CHECK(r.snapshot_step == 12);
  CHECK_FALSE(r.show_b);
  CHECK(r.show_diff);
  CHECK(ab_state_from_json(ab_session_json(AbState{}), "t.json").source == AbSource::kNone);
  CHECK_THROWS_WITH(ab_state_from_json(R"({"on": true, "sauce": "file"})", "t.json"),
                    doctest::Contains("unknown key 'ab.sauce'"));
  CHECK_THROWS_WITH(ab_state_from_json(R"({"on": 1})", "t.json"), doctest::Contains("'ab.on' must be true or false"));
  CHECK_THROWS_WITH(ab_state_from_json(R"({"source": "disk"})", "t.json"), doctest::Contains("'disk' is not one of"));
  CHECK_THROWS_WITH(ab_state_from_json(R"({"on": true})", "t.json"), doctest::Contains("'ab.source' is none"));
  CHECK(ab_script_line(AbAction::kLoad, s, false) == "ab load /models/b.safetensors");
  CHECK(ab_script_line(AbAction::kShowB, s, false) == "ab b-tile off");
  CHECK(ab_script_line(AbAction::kShowDiff, s, true) == "ab diff on");
  CHECK(ab_script_line(AbAction::kSwap, s, false) == "ab swap");
}
