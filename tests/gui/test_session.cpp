// Session files (app/session/session_file.h, gui/session/studio_settings.h): every studio
// setting survives a round trip through the file (and a setting added to the studio but not to
// the file fails here), bad files are named with the key at fault, the one session -> flags
// mapping, `--session` expansion; and the live view's journal: a recording replayed on a fresh
// worker gives the same state bit for bit.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/cpu_backend.h"
#include "core/error.h"
#include "core/init.h"
#include "core/json_io.h"
#include "gui/live/live_sim.h"
#include "gui/scripting/script.h"
#include "gui/session/studio_settings.h"
#include "session/session_file.h"
#include "session/state_hash.h"
#include "worker_fixture.h"

using namespace rrcnn;

namespace {

// Every field away from its default (and from the other fields' values).
StudioSettings all_changed() {
  StudioSettings s;
  s.checkpoint = "/models/a b.safetensors";
  s.preset = "lite";
  s.data = "/data/fashion";
  s.backend = "cpu";
  s.threads = 3;
  s.noise.random_alpha = false;
  s.noise.alpha = 0.25f;
  s.noise.dropout = 0.125f;
  s.noise.seed = 99;
  s.noise.batch = 5;
  s.pacing.playing = !SimPacing{}.playing;
  s.pacing.speed = 12.5f;
  s.pacing.max_speed = true;
  s.pacing.rollout_length = 77;
  s.pacing.endless = true;
  s.pacing.loop = true;
  s.brush.mode = BrushMode::kNoise;
  s.brush.radius = 4.5f;
  s.brush.strength = 0.75f;
  s.brush.all_samples = true;
  s.view.inspect = InspectView::kChange;
  s.view.channel = 6;
  s.view.auto_range = false;
  s.view.range = 2.5f;
  s.view.error_range = 0.75f;
  s.view.colormap = 1;
  s.view.selected = 3;
  s.view.show_controls = false;
  s.view.show_inspector = false;
  s.view.show_training = false;
  s.view.show_help = true;
  s.timeline.settings.enabled = false;
  s.timeline.settings.full_steps = 40;
  s.timeline.show_curves = false;
  s.timeline.psnr = true;
  s.timeline.mc_k = 9;
  s.captions = false;
  s.train.batch = 17;
  s.train.target_steps = 1234;
  s.train.lr_start = 3e-4f;
  s.train.lr_end = 2e-5f;
  s.train.lr_decay_steps = 321;
  s.train.seed = 42;
  s.train.recipe.pool = true;
  PoolConfig& pc = s.train.recipe.pool_config;
  pc.pool_size = 99;
  pc.replace = 3;
  pc.horizon_min = 40;
  pc.horizon_max = 70;
  pc.damage = 2;
  pc.damage_radius = 6;
  pc.damage_radius_min = 2;
  pc.damage_mode = DamageMode::kBrushes;
  pc.stroke_length_min = 9;
  pc.stroke_length_max = 19;
  pc.brush_mix[0] = 1;
  pc.brush_mix[1] = 2;
  pc.brush_mix[2] = 5;
  pc.loss_steps = 4;
  pc.loss_spacing = 16;
  pc.noise_start = 0.3f;
  pc.noise_ramp = 500;
  s.recipe = "pool";
  s.save_to = "/out/mine.safetensors";
  s.save_optimizer = false;
  s.ab_json = R"({"b":"/models/b.safetensors","show":"difference"})";
  return s;
}

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = (std::filesystem::temp_directory_path() / name).string();
  std::ofstream(path) << text;
  return path;
}

std::string error_of(const Json& j) {
  try {
    session_from_json(j, "s.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("session: every studio setting survives the file") {
  // The settings structs as they were when the file format was written: a new field changes a
  // size, and this fails until the field is in the file (session_file.h, studio_settings.cpp)
  // and in all_changed() above.
  CHECK(sizeof(NoiseSettings) == 32);
  CHECK(sizeof(SimPacing) == 20);
  CHECK(sizeof(BrushSettings) == 16);
  CHECK(sizeof(ViewSettings) == 32);
  CHECK(sizeof(TimelineView) == 16);
  CHECK(sizeof(TrainSettings) == 112);  // publish_interval_s is the trainer's, not a setting
  CHECK(sizeof(PoolConfig) == 68);

  const StudioSettings a = all_changed();
  const std::string text = session_to_json(to_session(a)).dump(2);
  const StudioSettings b = from_session(session_from_json(parse_json(text, "s.json"), "s.json"));
  CHECK(b.checkpoint == a.checkpoint);
  CHECK(b.preset == a.preset);
  CHECK(b.data == a.data);
  CHECK(b.backend == a.backend);
  CHECK(b.threads == a.threads);
  CHECK(b.noise.random_alpha == a.noise.random_alpha);
  CHECK(b.noise.alpha == a.noise.alpha);
  CHECK(b.noise.dropout == a.noise.dropout);
  CHECK(b.noise.seed == a.noise.seed);
  CHECK(b.noise.batch == a.noise.batch);
  CHECK(b.pacing.playing == a.pacing.playing);
  CHECK(b.pacing.speed == a.pacing.speed);
  CHECK(b.pacing.max_speed == a.pacing.max_speed);
  CHECK(b.pacing.rollout_length == a.pacing.rollout_length);
  CHECK(b.pacing.endless == a.pacing.endless);
  CHECK(b.pacing.loop == a.pacing.loop);
  CHECK(b.brush.mode == a.brush.mode);
  CHECK(b.brush.radius == a.brush.radius);
  CHECK(b.brush.strength == a.brush.strength);
  CHECK(b.brush.all_samples == a.brush.all_samples);
  CHECK(b.view.inspect == a.view.inspect);
  CHECK(b.view.channel == a.view.channel);
  CHECK(b.view.auto_range == a.view.auto_range);
  CHECK(b.view.range == a.view.range);
  CHECK(b.view.error_range == a.view.error_range);
  CHECK(b.view.colormap == a.view.colormap);
  CHECK(b.view.selected == a.view.selected);
  CHECK(b.view.show_controls == a.view.show_controls);
  CHECK(b.view.show_inspector == a.view.show_inspector);
  CHECK(b.view.show_training == a.view.show_training);
  CHECK(b.view.show_help == a.view.show_help);
  CHECK(b.timeline.settings.enabled == a.timeline.settings.enabled);
  CHECK(b.timeline.settings.full_steps == a.timeline.settings.full_steps);
  CHECK(b.timeline.show_curves == a.timeline.show_curves);
  CHECK(b.timeline.psnr == a.timeline.psnr);
  CHECK(b.timeline.mc_k == a.timeline.mc_k);
  CHECK(b.captions == a.captions);
  CHECK(b.train.batch == a.train.batch);
  CHECK(b.train.target_steps == a.train.target_steps);
  CHECK(b.train.lr_start == a.train.lr_start);
  CHECK(b.train.lr_end == a.train.lr_end);
  CHECK(b.train.lr_decay_steps == a.train.lr_decay_steps);
  CHECK(b.train.seed == a.train.seed);
  CHECK(b.train.recipe.pool == a.train.recipe.pool);
  {
    const PoolConfig &x = a.train.recipe.pool_config, &y = b.train.recipe.pool_config;
    CHECK(y.pool_size == x.pool_size);
    CHECK(y.replace == x.replace);
    CHECK(y.horizon_min == x.horizon_min);
    CHECK(y.horizon_max == x.horizon_max);
    CHECK(y.damage == x.damage);
    CHECK(y.damage_radius == x.damage_radius);
    CHECK(y.damage_radius_min == x.damage_radius_min);
    CHECK(y.damage_mode == x.damage_mode);
    CHECK(y.stroke_length_min == x.stroke_length_min);
    CHECK(y.stroke_length_max == x.stroke_length_max);
    CHECK(y.brush_mix[0] == x.brush_mix[0]);
    CHECK(y.brush_mix[1] == x.brush_mix[1]);
    CHECK(y.brush_mix[2] == x.brush_mix[2]);
    CHECK(y.loss_steps == x.loss_steps);
    CHECK(y.loss_spacing == x.loss_spacing);
    CHECK(y.noise_start == x.noise_start);
    CHECK(y.noise_ramp == x.noise_ramp);
  }
  CHECK(b.recipe == a.recipe);
  CHECK(b.save_to == a.save_to);
  CHECK(b.save_optimizer == a.save_optimizer);
  CHECK(parse_json(b.ab_json, "b") == parse_json(a.ab_json, "a"));
  // And the file itself is stable: written again, it is the same text.
  CHECK(session_to_json(to_session(b)).dump(2) == text);
}

TEST_CASE("session: every key in the file is read (a changed value comes back changed)") {
  const Json base = session_to_json(Session{});
  const Json flat = base.flatten();
  for (auto it = flat.begin(); it != flat.end(); ++it) {
    if (it.key() == "/version") continue;
    Json changed = flat;
    Json& v = changed[it.key()];
    if (v.is_boolean()) v = !v.get<bool>();
    else if (v.is_number_unsigned()) v = v.get<uint64_t>() + 1;
    else if (v.is_number_integer()) v = v.get<int64_t>() + 1;
    else if (v.is_number()) v = v.get<double>() * 0.5 + 0.01;
    else if (v.is_string()) continue;  // words: checked by the round trip above
    const Json back = session_to_json(session_from_json(changed.unflatten(), "s.json")).flatten();
    CHECK_MESSAGE(back[it.key()] != flat[it.key()], it.key() << " is written but not read");
  }
}

TEST_CASE("session: bad files name the file and the key") {
  Json j = session_to_json(Session{});
  j["live"]["speeed"] = 3;
  CHECK(error_of(j) == "s.json: unknown key 'live.speeed'");
  j = session_to_json(Session{});
  j["view"]["windows"]["dock"] = true;
  CHECK(error_of(j) == "s.json: unknown key 'view.windows.dock'");
  j = session_to_json(Session{});
  j["extra"] = 1;
  CHECK(error_of(j) == "s.json: unknown key 'extra'");
  j = session_to_json(Session{});
  j["live"]["digits"] = "8";
  CHECK(error_of(j) == "s.json: 'live.digits' must be an integer");
  j["live"]["digits"] = 65;
  CHECK(error_of(j) == "s.json: 'live.digits' 65 is out of range 1..64");
  j = session_to_json(Session{});
  j["brush"]["mode"] = "smudge";
  CHECK(error_of(j).find("'brush.mode' 'smudge' (choose draw, erase, noise)") != std::string::npos);
  j = session_to_json(Session{});
  j["live"]["dropout"] = true;
  CHECK(error_of(j) == "s.json: 'live.dropout' must be a number");
  j = session_to_json(Session{});
  j.erase("version");
  CHECK(error_of(j).find("'version' is missing") != std::string::npos);
  j["version"] = 2;
  CHECK(error_of(j).find("'version' 2 is not supported") != std::string::npos);
  j = session_to_json(Session{});
  j["view"] = 3;
  CHECK(error_of(j) == "s.json: 'view' must be an object");
  // A section left out keeps the defaults; only "version" is required.
  CHECK(session_to_json(session_from_json(Json{{"version", 1}}, "s.json")) == session_to_json(Session{}));

  const std::string bad = write_temp("rrcnn-bad-session.json", "{\"version\": 1,");
  try {
    load_session(bad);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find(bad + ": invalid JSON at byte 14") == 0);
  }
  // One parse with core's checks (core/json_io.h): a key twice is refused, not taken as the
  // last one, with one line naming the file and the byte (the closing quote of the second key).
  const std::string twice_text = "{\"version\": 1, \"live\": {\"seed\": 1, \"seed\": 2}}";
  const std::string twice = write_temp("rrcnn-twice-session.json", twice_text);
  CHECK_THROWS_WITH_AS(load_session(twice),
                       (twice + ": invalid JSON at byte " + std::to_string(twice_text.rfind("seed") + 4) +
                        ": duplicate key \"seed\"").c_str(),
                       Error);
  std::string deep = "{\"version\": 1, \"ab\": ";
  for (int i = 0; i < kJsonMaxDepth; ++i) deep += "[";
  const std::string too_deep = write_temp("rrcnn-deep-session.json", deep);
  CHECK_THROWS_WITH_AS(load_session(too_deep),
                       (too_deep + ": invalid JSON at byte " + std::to_string(deep.size() - 1) +
                        ": nested more than " + std::to_string(kJsonMaxDepth) + " levels deep").c_str(),
                       Error);
  CHECK_THROWS_WITH_AS(load_session("/nonexistent/s.json"),
                       "cannot open session file '/nonexistent/s.json'", Error);
}

TEST_CASE("session: save and load a file") {
  const Session s = to_session(all_changed());
  const std::string path = (std::filesystem::temp_directory_path() / "rrcnn-session-rt.json").string();
  save_session(path, s);
  CHECK(session_to_json(load_session(path)) == session_to_json(s));
}

TEST_CASE("session: one mapping to command lines") {
  StudioSettings st;
  st.checkpoint = "/m/seed model.safetensors";
  st.noise.seed = 5;
  st.noise.batch = 4;
  st.noise.dropout = 0.3f;
  st.pacing.rollout_length = 96;
  st.train.target_steps = 500;
  Session s = to_session(st);
  CHECK(session_command_line(s, "render") ==
        "rrcnn render --ckpt '/m/seed model.safetensors' --out rollout.gif --steps 96 --digits 4 "
        "--seed 5 --dropout 0.3");
  CHECK(session_command_line(s, "eval") ==
        "rrcnn eval --ckpt '/m/seed model.safetensors' --steps 96 --alphas -1 --seed 5 --dropout 0.3");
  CHECK(session_command_line(s, "train") ==
        "rrcnn train --resume '/m/seed model.safetensors' --steps 500 --batch 8 --lr 0.001 "
        "--lr-end 0.0001 --seed 0");
  CHECK(session_command_line(s, "gui") == "rrcnn gui --ckpt '/m/seed model.safetensors' --batch 4");
  s.live.random_alpha = false;
  s.live.alpha = 0.6f;
  s.model.threads = 2;
  CHECK(session_command_line(s, "render").find("--digits 4 --alpha 0.6 --seed 5") != std::string::npos);
  CHECK(session_command_line(s, "render").find("--threads 2") != std::string::npos);
  CHECK(session_command_line(s, "eval").find("--alphas 0.6") != std::string::npos);
  s.model.checkpoint.clear();
  s.model.preset = "lite";
  CHECK(session_command_line(s, "train").rfind("rrcnn train --preset lite --steps 500", 0) == 0);
  CHECK_THROWS_AS(session_flags(s, "bench", false), Error);
}

TEST_CASE("session: --session becomes the file's flags at its place") {
  Session s;
  s.model.checkpoint = "/m/a.safetensors";
  s.live.rollout = 32;
  const std::string path = (std::filesystem::temp_directory_path() / "rrcnn-expand.json").string();
  save_session(path, s);
  const std::vector<std::string> got =
      expand_session_args({"render", "--out", "x.gif", "--session", path, "--steps", "5"});
  REQUIRE(got.size() > 6);
  CHECK(got[0] == "render");
  CHECK(got[1] == "--out");
  CHECK(got[3] == "--ckpt");
  CHECK(got[4] == "/m/a.safetensors");
  CHECK(std::find(got.begin(), got.end(), "rollout.gif") == got.end());  // no placeholders
  CHECK(got[got.size() - 2] == "--steps");  // given after: overrides the file's --steps 32
  CHECK(got.back() == "5");
  const std::vector<std::string> gui = expand_session_args({"gui", "--session=" + path});
  REQUIRE(gui.size() >= 5);
  CHECK(gui[1] == "--session");  // the studio also reads view, brush and training from it
  CHECK(gui[2] == path);
  CHECK(gui[3] == "--ckpt");
  CHECK(expand_session_args({"--paused", "--session", path})[1] == "--session");  // plain rrcnn
  CHECK(expand_session_args({"eval", "--ckpt", "x"}) == std::vector<std::string>{"eval", "--ckpt", "x"});
  CHECK_THROWS_WITH_AS(expand_session_args({"eval", "--session"}),
                       "rrcnn eval: --session needs a value", Error);
  CHECK_THROWS_AS(expand_session_args({"info", "--session", path}), Error);
}

TEST_CASE("session: recording actions parse") {
  const auto a = parse_script(
      "stroke-at 2 3.5 4.25 10.5 11 1.5 erase 1 17\nrestore 7 3 4\nrecord /tmp/r.script\n"
      "record-stop\nsession-save s.json\nsession-load s.json\ncopy-command train\n"
      "assert session-recording false\n",
      "t");
  CHECK(a.size() == 8);
  CHECK_THROWS_AS(parse_script("stroke-at 2 3 4 10 11 1.5 smudge 1 17\n", "t"), Error);
  CHECK_THROWS_AS(parse_script("restore 7 3\n", "t"), Error);
  CHECK_THROWS_AS(parse_script("copy-command bench\n", "t"), Error);
}

namespace {

// The worker suites' tiny model, 3 of its digits, dropout 0.5 (worker_fixture.h).
std::unique_ptr<LiveSim> tiny_sim() { return worker_fixture::make_sim(3, 0.5f); }

std::string hash_of(LiveSim& sim) {
  sim.sync();
  SimSnapshot s;
  sim.fetch(&s);
  return state_hash_hex(s.state);
}

}  // namespace

TEST_CASE("live view: a session recording's journal replays to the same state (test_session.cpp)") {
  auto live = tiny_sim();
  // Before the recording: other digits, noise and strokes (not in it: it starts from a restore).
  live->post(SimCommand{SimOp::kNewDigits});
  SimCommand step{SimOp::kStep};
  step.n = 4;
  live->post(step);
  SimCommand start{SimOp::kJournal};
  start.flag = true;
  start.text = "pause";
  live->post(start);
  live->post(step);
  SimCommand brush{SimOp::kBrush};
  brush.stroke = centred_stroke(1, 2, 3, 3.0f, 0.7f, 1.5f, BrushMode::kNoise, 0.8f);
  brush.stroke.serial = 9;
  live->post(brush);
  SimCommand noise{SimOp::kSetNoise};
  noise.value = 0.35f;
  live->post(noise);
  step.n = 2;
  live->post(step);
  live->post(step);
  live->post(SimCommand{SimOp::kNewNoise});
  step.n = 1;
  live->post(step);
  SimCommand stop{SimOp::kJournal};
  live->post(stop);
  const std::string want = hash_of(*live);
  bool exact = false;
  const std::vector<std::string> lines = live->take_journal(&exact);
  CHECK(exact);
  REQUIRE(lines.size() == 8);
  CHECK(lines[0] == "pause");
  CHECK(lines[1].rfind("restore 1 ", 0) == 0);
  CHECK(lines[2] == "step 4");
  CHECK(lines[3].rfind("stroke-at 1 ", 0) == 0);
  CHECK(lines[4] == "noise 0.35");
  CHECK(lines[5] == "step 4");  // two step commands in a row: one line
  CHECK(lines[6] == "new-noise");
  CHECK(lines[7] == "step 1");

  // A fresh worker, the lines as commands.
  auto replay = tiny_sim();
  const std::vector<ScriptAction> acts = parse_script([&] {
    std::string t;
    for (const std::string& l : lines) t += l + "\n";
    return t;
  }(), "journal");
  for (const ScriptAction& a : acts) {
    if (a.op == "restore") {
      SimCommand r{SimOp::kRestore};
      r.seed = std::strtoull(a.str_arg(0).c_str(), nullptr, 10);
      r.n = a.int_arg(1);
      r.episode = uint32_t(a.int_arg(2));
      replay->post(r);
    } else if (a.op == "step") {
      SimCommand s{SimOp::kStep};
      s.n = a.int_arg(0);
      replay->post(s);
    } else if (a.op == "stroke-at") {
      SimCommand b{SimOp::kBrush};
      b.stroke.sample = a.int_arg(0);
      b.stroke.x0 = a.float_arg(1);
      b.stroke.y0 = a.float_arg(2);
      b.stroke.x1 = a.float_arg(3);
      b.stroke.y1 = a.float_arg(4);
      b.stroke.radius = a.float_arg(5);
      b.stroke.mode = BrushMode::kNoise;
      b.stroke.strength = a.float_arg(7);
      b.stroke.serial = uint32_t(a.int_arg(8));
      replay->post(b);
    } else if (a.op == "noise") {
      SimCommand n{SimOp::kSetNoise};
      n.value = a.float_arg(0);
      replay->post(n);
    } else if (a.op == "new-noise") {
      replay->post(SimCommand{SimOp::kNewNoise});
    }
  }
  CHECK(hash_of(*replay) == want);
  // And the match is no accident: a worker that did not replay the lines is elsewhere.
  CHECK(hash_of(*tiny_sim()) != want);
}

TEST_CASE("session: a pool run's recipe becomes rrcnn train's pool flags") {
  Session s;
  s.model.preset = "seed";
  s.train.target_steps = 100;
  s.train.run_recipe = "pool";
  s.train.pool.pool_size = 64;
  s.train.pool.horizon_min = 64;
  s.train.pool.horizon_max = 128;
  s.train.pool.damage = 3;
  s.train.pool.damage_mode = DamageMode::kBrushes;
  s.train.pool.damage_radius_min = 2;
  s.train.pool.damage_radius = 6;
  s.train.pool.loss_steps = 4;
  s.train.pool.loss_spacing = 16;
  const std::string line = session_command_line(s, "train");
  CHECK(line.find("--pool 64 --pool-replace 2 --horizon 64..128 --damage 3 --damage-mode brushes "
                  "--damage-radius 2..6 --stroke-length 8..20 --loss-steps 4 --loss-spacing 16") !=
        std::string::npos);
  CHECK(line.find("--brush-mix") == std::string::npos);  // the default mix needs no flag
  s.train.pool.brush_mix[2] = 2;
  CHECK(session_command_line(s, "train").find("--stroke-length 8..20 --brush-mix 1,1,2 --loss-steps 4") !=
        std::string::npos);
  s.train.run_recipe = "seed";
  CHECK(session_command_line(s, "train").find("--pool") == std::string::npos);
}
