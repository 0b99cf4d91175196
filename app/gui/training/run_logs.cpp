// Training logs for comparing runs (see run_logs.h).
#include "gui/training/run_logs.h"

#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/checkpoint.h"
#include "core/config_json.h"
#include "core/error.h"
#include "core/json_io.h"
#include "gui/files/shipped_models.h"
#include "gui/files/output_paths.h"

namespace fs = std::filesystem;

namespace rrcnn {
namespace {

// The step of a step line, or -1 (a "run" line, a blank one, anything else).
int64_t step_of(const std::string& line) {
  const size_t at = line.find("\"step\":");
  if (at == std::string::npos || line.find("\"run\"") != std::string::npos) return -1;
  return std::strtoll(line.c_str() + at + 7, nullptr, 10);
}

// A log from before the "run" line (older CLI runs): the checkpoint beside it names the config
// and recipe: X.safetensors for X.jsonl / X.train.jsonl, or the folder's only checkpoint.
void describe_from_checkpoint(const fs::path& log_path, RunLog* log) {
  std::error_code ec;
  std::string stem = log_path.stem().string();
  if (stem.size() > 6 && stem.compare(stem.size() - 6, 6, ".train") == 0) stem.resize(stem.size() - 6);
  fs::path ck = log_path.parent_path() / (stem + ".safetensors");
  if (!fs::exists(ck, ec)) {
    ck.clear();
    int found = 0;
    for (const auto& e : fs::directory_iterator(log_path.parent_path(), ec))
      if (e.path().extension() == ".safetensors" && ++found == 1) ck = e.path();
    if (found != 1) return;
  }
  try {
    const Checkpoint c = load_checkpoint(ck.string());
    log->config = describe_model_config(c.config);
    log->recipe = c.recipe;
    // The note reads "rrcnn train, <the recipe's description>[; ...]".
    const size_t comma = c.note.find(", ");
    log->recipe_description = comma == std::string::npos ? "" : c.note.substr(comma + 2);
  } catch (const std::exception&) {
    // Not readable: the log is labelled by its name alone.
  }
}

}  // namespace

RunLog read_run_log(const std::string& path) {
  RunLog log;
  log.path = path;
  // One pass, each line parsed once: the points, and the run line's config and recipe.
  log.points = read_loss_log(path, 0, [&log, &path](const Json& v) {
    const Json* run = json_find(v, "run");
    if (!run || !run->is_object()) return;
    if (const Json* c = json_find(*run, "config"); c && c->is_object()) {
      try {
        log.config = describe_model_config(model_config_from_object(*c, path));
      } catch (const std::exception&) {
        log.config.clear();  // a config this build does not know: the file name labels it
      }
    }
    if (const Json* r = json_find(*run, "recipe"); r && r->is_string()) log.recipe = r->get<std::string>();
    if (const Json* d = json_find(*run, "recipe_description"); d && d->is_string())
      log.recipe_description = d->get<std::string>();
  });
  LossHistory h;
  for (const TrainPoint& p : log.points) h.add(p);
  log.average = h.moving_average();
  const fs::path file(path);
  if (log.config.empty()) describe_from_checkpoint(file, &log);
  // A short name first, so runs of one config tell apart: the file's stem, or its folder's name
  // for the CLI's "train.jsonl".
  std::string name = file.stem().string();
  if ((name == "train" || name == "log") && file.has_parent_path())
    name = file.parent_path().filename().string();
  if (log.config.empty()) {
    log.label = name + " (no config recorded)";
  } else {
    log.label = name + ": " + log.config + " | " +
                (log.recipe_description.empty() ? recipe_name(log.recipe) + " recipe"
                                                : log.recipe_description);
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
