// Script actions for models and runs of your own (see model_script.h).
#include "gui/scripting/model_script.h"

#include <exception>

#include "core/config_json.h"
#include "core/pool_trainer.h"

namespace rrcnn {
namespace {

std::string words_from(const ScriptAction& a, size_t first) {
  std::string w;
  for (size_t i = first; i < a.args.size(); ++i) w += (w.empty() ? "" : " ") + a.args[i];
  return w;
}

// pool=N replace=N horizon=A..B damage=N radius=N kind=erase|noise|mixed|brushes.
std::string set_pool(PoolConfig* p, const std::string& words) {
  size_t at = 0;
  while (at < words.size()) {
    size_t end = words.find(' ', at);
    if (end == std::string::npos) end = words.size();
    const std::string w = words.substr(at, end - at);
    at = end + 1;
    const size_t eq = w.find('=');
    if (eq == std::string::npos) return "recipe: '" + w + "': expected field=value";
    const std::string k = w.substr(0, eq), v = w.substr(eq + 1);
    try {
      if (k == "pool") p->pool_size = std::stoi(v);
      else if (k == "replace") p->replace = std::stoi(v);
      else if (k == "horizon") parse_range(v, "horizon", &p->horizon_min, &p->horizon_max);
      else if (k == "damage") p->damage = std::stoi(v);
      else if (k == "radius") p->damage_radius = std::stoi(v);
      else if (k == "kind") p->damage_mode = parse_damage_mode(v);
      else return "recipe: unknown field '" + k + "' (pool, replace, horizon, damage, radius, kind)";
    } catch (const std::exception& e) {
      return "recipe: '" + w + "': " + e.what();
    }
  }
  return "";
}

}  // namespace

bool model_action_command(const ScriptAction& a, const StudioState& s, Command* out) {
  const std::string& op = a.op;
  Command c{Cmd::kQuit};
  if (op == "new-model-dialog") {
    c.kind = Cmd::kNewModelDialog;
    c.path = words_from(a, 0);
  } else if (op == "new-model") {
    ModelForm f = ModelForm::from(s.model.config);  // as the dialog starts
    std::string why;
    ModelConfig config;
    if (f.assign(words_from(a, 0), &why) &&
        f.to_config(s.model.config.height, s.model.config.width, &config, &why)) {
      c.kind = Cmd::kNewModel;
      c.path = model_config_to_json(config);
    } else {
      c.kind = Cmd::kShowError;
      c.path = why;
    }
  } else if (op == "recipe") {
    c.kind = Cmd::kSetTrain;
    c.train = s.train;
    c.train.recipe.pool = a.str_arg(0) == "pool";
    const std::string why = set_pool(&c.train.recipe.pool_config, words_from(a, 1));
    if (!why.empty()) {
      c = Command{Cmd::kShowError};
      c.path = why;
    }
  } else if (op == "overlay") {
    if (a.str_arg(0) == "remove") {
      c.kind = Cmd::kOverlayRemove;
      c.n = a.str_arg(1) == "all" ? -1 : a.int_arg(1);
    } else {
      c.kind = Cmd::kOverlayAdd;
      c.path = a.str_arg(0);
    }
  } else {
    return false;
  }
  *out = c;
  return true;
}

std::string model_observed(const StudioState& s, const std::string& what) {
  if (what == "recipe") return s.model.recipe;
  if (what == "train-recipe") return s.train.recipe.name();
  if (what == "config") return describe_model_config(s.model.config);
  if (what == "overlays") return std::to_string(s.overlays.size());
  if (what == "recent-runs") {
    std::string all;
    for (const RecentRun& r : s.recent_runs) all += r.label + " @ " + r.path + "\n";
    return all.empty() ? "(none)" : all;
  }
  return "";
}

}  // namespace rrcnn
