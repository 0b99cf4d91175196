// Training logs for comparing runs (see run_logs.h).
#include "gui/training/run_logs.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/config_json.h"
#include "core/error.h"
#include "core/json.h"
#include "gui/files/output_paths.h"

namespace rrcnn {
namespace {

// The step of a step line, or -1 (a "run" line, a blank one, anything else).
int64_t step_of(const std::string& line) {
  const size_t at = line.find("\"step\":");
  if (at == std::string::npos || line.find("\"run\"") != std::string::npos) return -1;
  return std::strtoll(line.c_str() + at + 7, nullptr, 10);
}

}  // namespace

RunLog read_run_log(const std::string& path) {
  RunLog log;
  log.path = path;
  std::ifstream in(path);
  RRCNN_CHECK(in, "cannot read the training log " << path);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find("\"run\"") == std::string::npos) continue;
    const JsonValue v = parse_json(line, path + ":" + std::to_string(n));
    const JsonValue* run = v.get("run");
    if (!run || !run->is_object()) continue;
    if (const JsonValue* c = run->get("config"); c && c->is_object()) {
      // The config's fields as model_config_from_json reads them, one line for the label.
      std::string text = "{";
      for (size_t i = 0; i < c->object.size(); ++i) {
        const auto& [k, x] = c->object[i];
        text += (i ? ", " : "") + json_quote(k) + ": ";
        if (x.is_string()) {
          text += json_quote(x.string);
        } else if (x.kind == JsonValue::Kind::kBool) {
          text += x.boolean ? "true" : "false";
        } else if (x.is_array()) {
          text += "[";
          for (size_t j = 0; j < x.array.size(); ++j)
            text += (j ? "," : "") + std::to_string(int(x.array[j].number));
          text += "]";
        } else {
          std::ostringstream num;
          num << x.number;
          text += num.str();
        }
      }
      text += "}";
      try {
        log.config = describe_model_config(model_config_from_json(text, path));
      } catch (const std::exception&) {
        log.config.clear();  // a config this build does not know: the file name labels it
      }
    }
    if (const JsonValue* r = run->get("recipe"); r && r->is_string()) log.recipe = r->string;
    if (const JsonValue* d = run->get("recipe_description"); d && d->is_string())
      log.recipe_description = d->string;
  }
  log.points = read_loss_log(path, 0);
  LossHistory h;
  for (const TrainPoint& p : log.points) h.add(p);
  log.average = h.moving_average();
  const std::string name = std::filesystem::path(path).filename().string();
  if (log.config.empty()) {
    log.label = name;
  } else {
    log.label = log.config + " | " +
                (log.recipe_description.empty() ? log.recipe + " recipe" : log.recipe_description);
  }
  return log;
}

std::string log_text_before(const std::string& path, int64_t step) {
  std::ifstream in(path);
  if (!in) return "";
  std::string out, line;
  while (std::getline(in, line)) {
    const int64_t s = step_of(line);
    if (s >= step) break;  // a log that ran on past the checkpoint's save
    out += line + "\n";
  }
  return out;
}

void write_log_beside(const std::string& path, const std::string& base,
                      const std::string& session_log) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    RRCNN_CHECK(out, "cannot write the training log " << path);
    out << base;
    if (!session_log.empty() && session_log != path) {
      std::ifstream in(session_log, std::ios::binary);
      if (in) out << in.rdbuf();
    }
    out.flush();
    RRCNN_CHECK(out.good(), "cannot write the training log " << path << " (disk full?)");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  RRCNN_CHECK(!ec, "cannot write the training log " << path << ": " << ec.message());
}

std::string new_run_log_path(const std::string& dir, const std::string& name, std::time_t now) {
  return unused_path(dir, timestamped_name("rrcnn-run-" + name, ".jsonl", now));
}

std::string recent_runs_file(const std::string& state_dir) { return state_dir + "/recent-runs.txt"; }

}  // namespace rrcnn
