// Session files (see session_file.h): JSON through core/json_io.h (one parse with its checks:
// nesting depth, duplicate keys, UTF-8, one line naming the byte) and strict reading of the
// document (every key known, every value of the right type and range, one line naming the file
// and the key), and the single session -> command-line mapping.
#include "session/session_file.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/json_io.h"

namespace rrcnn {
namespace {

// Reads one JSON object's members by name, remembering which it took, so the leftovers can be
// named as unknown keys.
class Reader {
 public:
  Reader(const Json& j, std::string what, std::string where)
      : j_(j), what_(std::move(what)), where_(std::move(where)) {
    RRCNN_CHECK(j.is_object(), what_ << ": " << name("") << " must be an object");
  }
  ~Reader() = default;

  const Json* get(const std::string& key) {
    seen_.insert(key);
    auto it = j_.find(key);
    return it == j_.end() ? nullptr : &*it;
  }
  void boolean(const std::string& key, bool* out) {
    if (const Json* v = get(key)) {
      RRCNN_CHECK(v->is_boolean(), what_ << ": " << name(key) << " must be true or false");
      *out = v->get<bool>();
    }
  }
  void integer(const std::string& key, int* out, int lo, int hi) {
    if (const Json* v = get(key)) {
      RRCNN_CHECK(v->is_number_integer(), what_ << ": " << name(key) << " must be an integer");
      const int64_t x = v->get<int64_t>();
      RRCNN_CHECK(x >= lo && x <= hi, what_ << ": " << name(key) << " " << x << " is out of range "
                                            << lo << ".." << hi);
      *out = int(x);
    }
  }
  void u64(const std::string& key, uint64_t* out) {
    if (const Json* v = get(key)) {
      RRCNN_CHECK(v->is_number_unsigned() || (v->is_number_integer() && v->get<int64_t>() >= 0),
                  what_ << ": " << name(key) << " must be a non-negative integer");
      *out = v->get<uint64_t>();
    }
  }
  void number(const std::string& key, float* out, float lo, float hi) {
    if (const Json* v = get(key)) {
      RRCNN_CHECK(v->is_number(), what_ << ": " << name(key) << " must be a number");
      const double x = v->get<double>();
      RRCNN_CHECK(std::isfinite(x) && x >= lo && x <= hi,
                  what_ << ": " << name(key) << " " << x << " is out of range " << lo << ".." << hi);
      *out = float(x);
    }
  }
  void text(const std::string& key, std::string* out, const std::set<std::string>& allowed = {}) {
    if (const Json* v = get(key)) {
      RRCNN_CHECK(v->is_string(), what_ << ": " << name(key) << " must be a string");
      const std::string s = v->get<std::string>();
      if (!allowed.empty() && !allowed.count(s)) {
        std::string list;
        for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
        RRCNN_FAIL(what_ << ": " << name(key) << " '" << s << "' (choose " << list << ")");
      }
      *out = s;
    }
  }
  // Throws naming the first member nobody asked for.
  void done() const {
    for (auto it = j_.begin(); it != j_.end(); ++it)
      RRCNN_CHECK(seen_.count(it.key()), what_ << ": unknown key " << name(it.key()));
  }
  std::string name(const std::string& key) const {
    const std::string full = where_.empty() ? key : key.empty() ? where_ : where_ + "." + key;
    return "'" + (full.empty() ? std::string("(top level)") : full) + "'";
  }
  const std::string& what() const { return what_; }

 private:
  const Json& j_;
  std::string what_, where_;
  std::set<std::string> seen_;
};

// Reads `key` as a nested object (when present) with `body`, then checks for unknown keys.
template <typename F>
void section(Reader& parent, const std::string& key, const std::string& where, F body) {
  const Json* v = parent.get(key);
  if (!v) return;
  Reader r(*v, parent.what(), where);
  body(r);
  r.done();
}

std::string shell_word(const std::string& s) {
  bool plain = !s.empty();
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || std::string("-_./=,:+@%").find(c) != std::string::npos))
      plain = false;
  if (plain) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The float as the shortest decimal that reads back as it (0.3, not 0.30000001192092896).
double tidy(float v) {
  for (int digits = 1; digits <= 9; ++digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*g", digits, double(v));
    const double d = std::strtod(buf, nullptr);
    if (float(d) == v) return d;
  }
  return double(v);
}

}  // namespace

Session session_from_json(const Json& j, const std::string& what) {
  Session s;
  Reader top(j, what, "");
  const Json* version = top.get("version");
  RRCNN_CHECK(version, what << ": 'version' is missing (this build writes version " << Session::kVersion << ")");
  RRCNN_CHECK(version->is_number_integer(), what << ": 'version' must be an integer");
  const int64_t v = version->get<int64_t>();
  RRCNN_CHECK(v >= 1 && v <= Session::kVersion,
              what << ": 'version' " << v << " is not supported (this build reads 1.." << Session::kVersion << ")");
  section(top, "model", "model", [&](Reader& r) {
    r.text("checkpoint", &s.model.checkpoint);
    r.text("preset", &s.model.preset, {"", "seed", "lite"});
    r.text("backend", &s.model.backend, {"auto", "cpu", "cuda"});
    r.integer("threads", &s.model.threads, 0, 1024);
  });
  top.text("data", &s.data);
  section(top, "live", "live", [&](Reader& r) {
    std::string noise = s.live.random_alpha ? "random" : "fixed";
    r.text("noise", &noise, {"random", "fixed"});
    s.live.random_alpha = noise == "random";
    r.number("alpha", &s.live.alpha, 0, 1);
    r.number("dropout", &s.live.dropout, 0, 0.95f);
    r.u64("seed", &s.live.seed);
    r.integer("digits", &s.live.digits, 1, 64);
    r.integer("rollout", &s.live.rollout, 1, 100000);
    r.boolean("endless", &s.live.endless);
    r.boolean("loop", &s.live.loop);
    r.number("speed", &s.live.speed, 0.1f, 10000);
    r.boolean("max_speed", &s.live.max_speed);
    r.boolean("playing", &s.live.playing);
  });
  section(top, "brush", "brush", [&](Reader& r) {
    r.text("mode", &s.brush.mode, {"draw", "erase", "noise"});
    r.number("radius", &s.brush.radius, 0.5f, 12);
    r.number("strength", &s.brush.strength, 0, 10);
    r.boolean("all_digits", &s.brush.all_digits);
  });
  section(top, "view", "view", [&](Reader& r) {
    r.text("tile", &s.view.tile, {"image", "channel", "error", "change", "mean", "std", "original"});
    r.integer("channel", &s.view.channel, 0, 4095);
    r.boolean("auto_range", &s.view.auto_range);
    r.number("range", &s.view.range, 1e-6f, 1e6f);
    r.number("error_range", &s.view.error_range, 1e-6f, 1e6f);
    r.text("colormap", &s.view.colormap, {"dark", "light"});
    r.integer("selected", &s.view.selected, 0, 63);
    section(r, "windows", "view.windows", [&](Reader& w) {
      w.boolean("controls", &s.view.controls);
      w.boolean("inspector", &s.view.inspector);
      w.boolean("training", &s.view.training);
      w.boolean("help", &s.view.help);
    });
    r.boolean("captions", &s.view.captions);
    r.boolean("timeline", &s.view.timeline);
    r.integer("timeline_full_steps", &s.view.timeline_full_steps, -1, 1 << 20);
    r.boolean("curves", &s.view.curves);
    r.boolean("psnr", &s.view.psnr);
    r.integer("uncertainty_k", &s.view.uncertainty_k, 2, 32);
  });
  section(top, "training", "training", [&](Reader& r) {
    r.integer("batch", &s.train.batch, 1, 4096);
    r.integer("target_steps", &s.train.target_steps, 1, 1 << 30);
    r.number("lr_start", &s.train.lr_start, 1e-8f, 1);
    r.number("lr_end", &s.train.lr_end, 1e-9f, 1);
    r.integer("lr_decay_steps", &s.train.lr_decay_steps, 0, 1 << 30);
    r.u64("seed", &s.train.seed);
    r.text("recipe", &s.train.recipe, {"seed", "pool"});
    r.text("run_recipe", &s.train.run_recipe, {"seed", "pool"});
    section(r, "pool", "training.pool", [&](Reader& p) {
      PoolConfig& c = s.train.pool;
      p.integer("pool_size", &c.pool_size, 1, 1 << 20);
      p.integer("replace", &c.replace, 0, 4096);
      p.integer("horizon_min", &c.horizon_min, 1, 100000);
      p.integer("horizon_max", &c.horizon_max, 1, 100000);
      p.integer("damage", &c.damage, 0, 4096);
      p.integer("damage_radius", &c.damage_radius, 0, 64);
      p.integer("damage_radius_min", &c.damage_radius_min, 0, 64);
      std::string mode = damage_mode_name(c.damage_mode);
      p.text("damage_mode", &mode, {"erase", "noise", "mixed", "brushes"});
      c.damage_mode = parse_damage_mode(mode);
      p.integer("stroke_length_min", &c.stroke_length_min, 1, 1000);
      p.integer("stroke_length_max", &c.stroke_length_max, 1, 1000);
      std::string mix = brush_mix_text(c.brush_mix);
      p.text("brush_mix", &mix);
      parse_brush_mix(mix, what + ": training.pool.brush_mix", c.brush_mix);
      p.integer("loss_steps", &c.loss_steps, 1, 100000);
      p.integer("loss_spacing", &c.loss_spacing, 1, 100000);
      p.number("noise_start", &c.noise_start, 0, 1);
      p.integer("noise_ramp", &c.noise_ramp, 0, 1 << 30);
    });
    r.text("save_to", &s.train.save_to);
    r.boolean("save_optimizer", &s.train.save_optimizer);
  });
  if (const Json* ab = top.get("ab")) {
    RRCNN_CHECK(ab->is_object(), what << ": 'ab' must be an object");
    s.ab_json = json_dump(*ab);
  }
  top.done();
  return s;
}

Json session_to_json(const Session& s) {
  Json j = Json::object();
  j["version"] = Session::kVersion;
  j["model"] = {{"checkpoint", s.model.checkpoint},
                {"preset", s.model.preset},
                {"backend", s.model.backend},
                {"threads", s.model.threads}};
  j["data"] = s.data;
  j["live"] = {{"noise", s.live.random_alpha ? "random" : "fixed"},
               {"alpha", tidy(s.live.alpha)},
               {"dropout", tidy(s.live.dropout)},
               {"seed", s.live.seed},
               {"digits", s.live.digits},
               {"rollout", s.live.rollout},
               {"endless", s.live.endless},
               {"loop", s.live.loop},
               {"speed", tidy(s.live.speed)},
               {"max_speed", s.live.max_speed},
               {"playing", s.live.playing}};
  j["brush"] = {{"mode", s.brush.mode},
                {"radius", tidy(s.brush.radius)},
                {"strength", tidy(s.brush.strength)},
                {"all_digits", s.brush.all_digits}};
  const Session::View& v = s.view;
  j["view"] = {{"tile", v.tile},
               {"channel", v.channel},
               {"auto_range", v.auto_range},
               {"range", tidy(v.range)},
               {"error_range", tidy(v.error_range)},
               {"colormap", v.colormap},
               {"selected", v.selected},
               {"windows", {{"controls", v.controls}, {"inspector", v.inspector},
                            {"training", v.training}, {"help", v.help}}},
               {"captions", v.captions},
               {"timeline", v.timeline},
               {"timeline_full_steps", v.timeline_full_steps},
               {"curves", v.curves},
               {"psnr", v.psnr},
               {"uncertainty_k", v.uncertainty_k}};
  const Session::Train& t = s.train;
  j["training"] = {{"batch", t.batch},
                   {"target_steps", t.target_steps},
                   {"lr_start", tidy(t.lr_start)},
                   {"lr_end", tidy(t.lr_end)},
                   {"lr_decay_steps", t.lr_decay_steps},
                   {"seed", t.seed},
                   {"recipe", t.recipe},
                   {"run_recipe", t.run_recipe},
                   {"pool", {{"pool_size", t.pool.pool_size},
                             {"replace", t.pool.replace},
                             {"horizon_min", t.pool.horizon_min},
                             {"horizon_max", t.pool.horizon_max},
                             {"damage", t.pool.damage},
                             {"damage_radius", t.pool.damage_radius},
                             {"damage_radius_min", t.pool.damage_radius_min},
                             {"damage_mode", damage_mode_name(t.pool.damage_mode)},
                             {"stroke_length_min", t.pool.stroke_length_min},
                             {"stroke_length_max", t.pool.stroke_length_max},
                             {"brush_mix", brush_mix_text(t.pool.brush_mix)},
                             {"loss_steps", t.pool.loss_steps},
                             {"loss_spacing", t.pool.loss_spacing},
                             {"noise_start", tidy(t.pool.noise_start)},
                             {"noise_ramp", t.pool.noise_ramp}}},
                   {"save_to", t.save_to},
                   {"save_optimizer", t.save_optimizer}};
  if (!s.ab_json.empty()) j["ab"] = parse_json(s.ab_json, "session 'ab'");
  return j;
}

Session load_session(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  RRCNN_CHECK(in.good(), "cannot open session file '" << path << "'");
  std::ostringstream text;
  text << in.rdbuf();
  RRCNN_CHECK(text.str().size() <= (size_t(1) << 20), path << ": a session file over 1 MiB is not a session");
  // One parse, with the checks every file the project reads gets (core/json_io.h): nesting
  // depth, duplicate keys, UTF-8, one line naming the byte.
  return session_from_json(parse_json(text.str(), path), path);
}

void save_session(const std::string& path, const Session& s) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    RRCNN_CHECK(out.good(), "cannot write session file '" << path << "'");
    out << session_to_json(s).dump(2) << "\n";
    RRCNN_CHECK(out.good(), "cannot write session file '" << path << "' (disk full?)");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  RRCNN_CHECK(!ec, "cannot write session file '" << path << "': " << ec.message());
}

std::string float_text(float v) {
  for (int digits = 1; digits <= 9; ++digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*g", digits, double(v));
    if (std::strtof(buf, nullptr) == v) return buf;  // the flags parse with strtof
  }
  return std::to_string(v);
}

const std::vector<std::string>& session_commands() {
  static const std::vector<std::string> c = {"render", "eval", "train", "gui"};
  return c;
}

std::vector<std::string> session_flags(const Session& s, const std::string& command, bool display) {
  std::vector<std::string> f;
  auto add = [&](const std::string& flag, const std::string& value) {
    f.push_back("--" + flag);
    f.push_back(value);
  };
  const bool has_ckpt = !s.model.checkpoint.empty();
  const auto backend = [&] {
    if (s.model.backend != "auto") add("backend", s.model.backend);
    if (s.model.threads > 0) add("threads", std::to_string(s.model.threads));
  };
  if (command == "render" || command == "eval") {
    if (has_ckpt) add("ckpt", s.model.checkpoint);
    else if (display) add("ckpt", "FILE");
    if (command == "render" && display) add("out", "rollout.gif");
    if (command == "render") {
      add("steps", std::to_string(s.live.rollout));
      add("digits", std::to_string(s.live.digits));
      if (!s.live.random_alpha) add("alpha", float_text(s.live.alpha));
    } else {
      add("steps", std::to_string(s.live.rollout));
      add("alphas", s.live.random_alpha ? "-1" : float_text(s.live.alpha));
    }
    add("seed", std::to_string(s.live.seed));
    add("dropout", float_text(s.live.dropout));
    if (!s.data.empty()) add("data", s.data);
    backend();
  } else if (command == "train") {
    if (has_ckpt) add("resume", s.model.checkpoint);
    else add("preset", s.model.preset.empty() ? "seed" : s.model.preset);
    add("steps", std::to_string(s.train.target_steps));
    add("batch", std::to_string(s.train.batch));
    add("lr", float_text(s.train.lr_start));
    add("lr-end", float_text(s.train.lr_end));
    add("seed", std::to_string(s.train.seed));
    if (s.train.run_recipe == "pool") {  // rrcnn train's pool flags (app/cli/train_pool.cpp)
      const PoolConfig& c = s.train.pool;
      const auto range = [](int lo, int hi) { return std::to_string(lo) + ".." + std::to_string(hi); };
      add("pool", std::to_string(c.pool_size));
      add("pool-replace", std::to_string(c.replace));
      add("horizon", range(c.horizon_min, c.horizon_max));
      if (c.damage > 0) {
        add("damage", std::to_string(c.damage));
        add("damage-mode", damage_mode_name(c.damage_mode));
        add("damage-radius", c.damage_radius_min > 0 ? range(c.damage_radius_min, c.damage_radius)
                                                     : std::to_string(c.damage_radius));
        if (c.damage_mode == DamageMode::kBrushes) {
          add("stroke-length", range(c.stroke_length_min, c.stroke_length_max));
          if (!c.brush_mix_is_default()) add("brush-mix", brush_mix_text(c.brush_mix));
        }
      }
      if (c.loss_steps > 1) {
        add("loss-steps", std::to_string(c.loss_steps));
        add("loss-spacing", std::to_string(c.loss_spacing));
      }
      if (c.noise_ramp > 0) {
        add("noise-start", float_text(c.noise_start));
        add("noise-ramp", std::to_string(c.noise_ramp));
      }
    }
    if (!s.data.empty()) add("data", s.data);
    if (!s.train.save_to.empty()) add("out", s.train.save_to);
    if (!s.train.save_optimizer) f.push_back("--no-optimizer-state");
    backend();
  } else if (command == "gui") {
    if (has_ckpt) add("ckpt", s.model.checkpoint);
    else if (!s.model.preset.empty()) add("preset", s.model.preset);
    if (!s.data.empty()) add("data", s.data);
    add("batch", std::to_string(s.live.digits));
    backend();
  } else {
    RRCNN_FAIL("--session: `rrcnn " << command << "` takes no session (gui, render, eval and train do)");
  }
  return f;
}

std::string session_command_line(const Session& s, const std::string& command) {
  std::string line = "rrcnn " + command;
  for (const std::string& w : session_flags(s, command, true)) line += " " + shell_word(w);
  return line;
}

std::vector<std::string> expand_session_args(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  const bool plain_gui = !args.empty() && args[0].size() > 1 && args[0][0] == '-';
  const std::string command = args.empty() ? "" : plain_gui ? "gui" : args[0];
  for (size_t i = 0; i < args.size(); ++i) {
    std::string file;
    if (args[i] == "--session") {
      RRCNN_CHECK(i + 1 < args.size(), "rrcnn " << command << ": --session needs a value");
      file = args[++i];
    } else if (args[i].rfind("--session=", 0) == 0) {
      file = args[i].substr(10);
    } else {
      out.push_back(args[i]);
      continue;
    }
    const Session s = load_session(file);
    if (command == "gui") {
      out.push_back("--session");
      out.push_back(file);
    }
    for (const std::string& w : session_flags(s, command, false)) out.push_back(w);
  }
  return out;
}

}  // namespace rrcnn
