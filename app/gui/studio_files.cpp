// Files in and out of the studio: checkpoints, digits (directories or dropped IDX files), the
// loss history CSV, screenshots and the GIF of a recorded rollout; where they go (the user's
// output folders, time-stamped, never replacing a file without asking) and the file browser;
// plus the error/notice plumbing.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "gui/files/file_kind.h"
#include "gui/studio.h"
#include "gui/files/user_files.h"

namespace fs = std::filesystem;

namespace rrcnn {
namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool training_active(const TrainStatus& t) {
  return t.phase == TrainPhase::kRunning || t.phase == TrainPhase::kPaused ||
         t.phase == TrainPhase::kStopping;
}

}  // namespace

std::string Studio::resolve(const Command& c, const std::string& dir) const {
  std::error_code ec;
  const std::string base = c.script_line > 0 || dir.empty() ? fs::current_path(ec).string() : dir;
  return absolute_output_path(c.path, base, st_.home);
}

std::string Studio::resolve_input(const Command& c) const {
  std::error_code ec;
  const std::string here = absolute_output_path(c.path, fs::current_path(ec).string(), st_.home);
  if (c.script_line > 0 || here.empty() || path_exists(here)) return here;
  const std::string in_data = absolute_output_path(c.path, st_.out_dirs.data, st_.home);
  return path_exists(in_data) ? in_data : here;
}

bool Studio::may_write(const Command& c, const std::string& path, const std::string& current) {
  if (c.overwrite || !path_exists(path) || path == current) return true;
  st_.prompt.kind = Prompt::kReplace;
  st_.prompt.title = "Replace the file?";
  st_.prompt.text = display_path(path, st_.home) + " already exists. Replace it?";
  st_.prompt.pending = c;
  st_.prompt.pending.path = path;
  st_.prompt.pending.overwrite = true;
  return false;
}

std::string Studio::fresh_output(const std::string& dir, const std::string& prefix,
                                 const std::string& ext) const {
  std::string why;
  RRCNN_CHECK(ensure_dir(dir, &why), "cannot create the output folder " << dir << " (" << why
                                                                       << "); choose another place with ...");
  return unused_path(dir, timestamped_name(prefix, ext, std::time(nullptr)));
}

bool Studio::shipped(const std::string& path) const {
  return !assets_dir_.empty() && path_inside(path, assets_dir_);
}

void Studio::open_browser(BrowsePurpose purpose) {
  const std::time_t now = std::time(nullptr);
  // The studio's folders are made on first use, so a save dialog opens inside them.
  if (purpose == BrowsePurpose::kScreenshot || purpose == BrowsePurpose::kGif)
    ensure_dir(st_.out_dirs.pictures);
  else if (purpose != BrowsePurpose::kOpenData)
    ensure_dir(st_.out_dirs.data);
  const std::string field = absolute_output_path(ui_.ckpt_path, st_.out_dirs.data, st_.home);
  const bool own_file = !field.empty() && !shipped(field);
  const std::string field_dir = own_file ? fs::path(field).parent_path().string() : st_.out_dirs.data;
  switch (purpose) {
    case BrowsePurpose::kLoadCheckpoint:
    case BrowsePurpose::kLoadB: {
      // Opening starts where the file on screen is (the shipped models' folder included).
      const std::string dir = fs::path(field).parent_path().string();
      ui_.browser.open(purpose, purpose == BrowsePurpose::kLoadB ? "Open a checkpoint as B" : "Open a checkpoint",
                       !field.empty() && path_exists(dir) ? dir : st_.out_dirs.data, "",
                       {".safetensors"});
      break;
    }
    case BrowsePurpose::kSaveCheckpoint: {
      const std::string name =
          own_file ? fs::path(field).filename().string()
                   : timestamped_name("rrcnn-" + st_.model.config.preset + "-step" +
                                          std::to_string(adam_.step),
                                      ".safetensors", now);
      ui_.browser.open(purpose, "Save the weights as", field_dir, name, {".safetensors"});
      break;
    }
    case BrowsePurpose::kOpenData:
      ui_.browser.open(purpose, "Open digits: a folder of IDX files, or one images file",
                       st_.data_source, "", {});
      break;
    case BrowsePurpose::kScreenshot:
      ui_.browser.open(purpose, "Save a screenshot as", st_.out_dirs.pictures,
                       timestamped_name("rrcnn-screenshot", ".png", now), {".png"});
      break;
    case BrowsePurpose::kGif:
      ui_.browser.open(purpose, "Record the rollout as a GIF to", st_.out_dirs.pictures,
                       timestamped_name("rrcnn-rollout", ".gif", now), {".gif"});
      break;
    case BrowsePurpose::kExportLoss:
      ui_.browser.open(purpose, "Export the loss history as", st_.out_dirs.data,
                       timestamped_name("rrcnn-loss", ".csv", now), {".csv"});
      break;
    case BrowsePurpose::kOpenRunLog:
      ui_.browser.open(purpose, "Overlay a training run's log", field_dir, "", {".jsonl"});
      break;
    case BrowsePurpose::kSaveSession:
    case BrowsePurpose::kLoadSession:
    case BrowsePurpose::kRecordSession:
      open_session_browser(purpose);  // studio_session.cpp
      break;
  }
}

void Studio::save_command(const Command& c) {
  const std::string typed = resolve(c, st_.out_dirs.data);
  if (typed.empty() || (shipped(typed) && c.script_line == 0)) {
    if (!typed.empty()) notice("the shipped model is kept as it is: choose where to save");
    open_browser(BrowsePurpose::kSaveCheckpoint);
    return;
  }
  const std::string path = with_extension(typed, ".safetensors");
  RRCNN_CHECK(!shipped(path), "the shipped models in " << assets_dir_ << " are not overwritten");
  if (!may_write(c, path, st_.ckpt_path)) return;
  std::string why;
  RRCNN_CHECK(ensure_dir(fs::path(path).parent_path().string(), &why),
              "cannot save " << path << ": " << why);
  save_checkpoint_to(path, c.flag);
}

void Studio::save_checkpoint_to(const std::string& path, bool with_optimizer) {
  RRCNN_CHECK(!path.empty(), "save: enter a checkpoint path (.safetensors) first");
  // Weights trained here are saved by the training driver (the run's recipe in the metadata,
  // the pool sidecar); others (loaded or fresh, not trained since) as they are.
  if (trainer_->save(path, with_optimizer)) {
    const std::string recipe = trainer_->status().recipe;
    if (!recipe.empty()) st_.model.recipe = recipe;
  } else {
    Checkpoint ck;
    ck.config = st_.model.config;
    ck.params = params_;
    ck.adam = adam_;
    ck.seed = st_.train.seed;
    ck.note = "rrcnn studio";
    ck.recipe = st_.model.recipe;
    save_checkpoint(path, ck, with_optimizer && !adam_.empty());
  }
  keep_log_beside(path);
  remember(path);
  st_.ckpt_path = path;
  std::snprintf(ui_.ckpt_path, sizeof ui_.ckpt_path, "%s", path.c_str());
  st_.written.push_back(path);
  st_.model.unsaved = false;
  st_.model.saved_step = adam_.step;
  st_.model.saved_here = true;
  st_.model.source = path;
  st_.model.name = fs::path(path).stem().string();
  st_.model.from_session = st_.model.from_session || st_.model.fresh;
  st_.model.fresh = false;
  describe_session_model();
  const bool training = training_active(trainer_->status());
  notice("saved " + path + " (optimiser step " + std::to_string(adam_.step) + ")" +
         (training ? "; training goes on" : ""));
  if (after_save_) {  // the unsaved-weights question's Save: now do what was asked
    const Command next = *after_save_;
    after_save_.reset();
    apply(next);
  }
}

void Studio::load_checkpoint_from(const std::string& path) {
  RRCNN_CHECK(!path.empty(), "type a checkpoint's path first, or choose one with ...");
  check_readable_file(path, "checkpoint");
  RRCNN_CHECK(!training_active(trainer_->status()), "stop training before loading other weights");
  Checkpoint ck = load_checkpoint(path);
  RRCNN_CHECK(ck.config.height == view_data_->height && ck.config.width == view_data_->width,
              path << ": the model's grid is " << ck.config.height << "x" << ck.config.width
                   << " but the digits are " << view_data_->height << "x" << view_data_->width);
  set_weights(ck.config, std::move(ck.params), std::move(ck.adam), path, false, ck.recipe,
                checkpoint_description(ck));
  st_.train.seed = ck.seed;
  st_.ckpt_path = path;
  std::snprintf(ui_.ckpt_path, sizeof ui_.ckpt_path, "%s", path.c_str());
  remember(path);
  load_loss_log(path);
  notice("loaded " + path +
         (st_.loss_log.empty() ? "" : " (loss curve from " + fs::path(st_.loss_log).filename().string() + ")"));
}

void Studio::load_loss_log(const std::string& ckpt) {
  begin_weights_log(ckpt);  // what a save of these weights keeps beside it (studio_runs.cpp)
  const std::string log = loss_log_beside(ckpt);
  if (log.empty()) return;
  try {
    const std::vector<TrainPoint> points = read_loss_log(log, adam_.step);
    for (const TrainPoint& p : points) st_.history.add(p);
    history_time_offset_ = points.empty() ? 0.0 : points.back().time_s;
    st_.loss_log = log;
  } catch (const std::exception& e) {
    // The weights are fine; only their curve is missing: no popup, a line in the log.
    st_.history.clear();
    history_time_offset_ = 0;
    append_log(st_.log_path, std::string("training log left out: ") + e.what());
  }
}

void Studio::open_path(const std::string& path) {
  RRCNN_CHECK(!path.empty(), "open: enter a path first");
  const FileKind kind = classify_file(path);
  RRCNN_CHECK(kind != FileKind::kIdxLabels,
              path << " holds labels only: drop the images file (…-images-idx3-ubyte) instead");
  RRCNN_CHECK(kind != FileKind::kMissing, path << ": no such file or folder");
  RRCNN_CHECK(
      kind != FileKind::kUnknown,
      path << " is neither a checkpoint (.safetensors) nor an IDX file or directory of them");
  if (kind == FileKind::kCheckpoint) {
    load_checkpoint_from(path);
  } else if (kind == FileKind::kDataDir) {
    use_data(load_data_dir(path), path);
  } else {
    const std::string labels = matching_labels_path(path);
    Dataset d = load_idx_images(path, labels);
    DataSplit split;
    split.train = d;
    split.test = std::move(d);
    use_data(std::move(split), path);
  }
}

void Studio::use_data(DataSplit split, const std::string& source) {
  RRCNN_CHECK(split.test.count() > 0 && split.train.count() > 0, source << ": no digits found");
  RRCNN_CHECK(
      split.test.height == st_.model.config.height && split.test.width == st_.model.config.width,
      source << ": digits are " << split.test.height << "x" << split.test.width
             << " but the model's grid is " << st_.model.config.height << "x"
             << st_.model.config.width);
  view_data_ = std::make_shared<const Dataset>(std::move(split.test));
  train_data_ = std::make_shared<const Dataset>(std::move(split.train));
  SimCommand s{SimOp::kSetData};
  s.data = view_data_;
  s.text = "open " + source;  // a recording's line
  sim_->post(s);
  st_.data_source = source;
  std::snprintf(ui_.data_path, sizeof ui_.data_path, "%s", source.c_str());
  notice("digits from " + source + " (" + std::to_string(view_data_->count()) + " shown, " +
         std::to_string(train_data_->count()) +
         " for training; training picks them up at its next start)");
}

void Studio::screenshot_command(const Command& c) {
  const std::string path = c.path.empty()
                               ? fresh_output(st_.out_dirs.pictures, "rrcnn-screenshot", ".png")
                               : with_extension(resolve(c, st_.out_dirs.pictures), ".png");
  if (!may_write(c, path)) return;
  pending_shot_ = path;
}

void Studio::export_loss(const Command& c) {
  RRCNN_CHECK(!st_.history.empty(), "export: no training steps yet");
  const std::string path = c.path.empty() ? fresh_output(st_.out_dirs.data, "rrcnn-loss", ".csv")
                                           : with_extension(resolve(c, st_.out_dirs.data), ".csv");
  if (!may_write(c, path)) return;
  st_.history.write_csv(path);
  st_.written.push_back(path);
  notice("loss history (" + std::to_string(st_.history.points().size()) + " steps) written to " +
         path);
}

void Studio::start_gif(const Command& c) {
  const std::string path = c.path.empty()
                               ? fresh_output(st_.out_dirs.pictures, "rrcnn-rollout", ".gif")
                               : resolve(c, st_.out_dirs.pictures);
  RRCNN_CHECK(ends_with(path, ".gif"),
              "a GIF's file name must end in .gif (got " << fs::path(path).filename().string() << ")");
  if (!may_write(c, path)) return;
  if (st_.gif_recording) return;  // one recording at a time: G again stops it
  st_.gif_path = path;
  // What the user is watching, from now: no restart, the playback left as it is.
  sim_->post(SimCommand{SimOp::kRecordStart});
  st_.gif_recording = true;  // until the worker says otherwise (a second G stops, never restarts)
  notice("recording a GIF (G stops it; at most " + std::to_string(LiveSim::kMaxRecordFrames) +
         " frames) to " + path);
}

void Studio::finish_gif(const SimRecording& rec) {
  try {
    std::function<std::string(int64_t)> caption;
    if (st_.captions) {
      const CaptionInfo info = caption_info();
      caption = [info](int64_t step) {
        CaptionInfo c = info;
        c.step = step;
        return picture_caption(c);
      };
    }
    // One frame per step, played at the speed it was watched (capped at 50 fps).
    const int fps = st_.pacing.max_speed ? 30 : std::clamp(int(std::lround(st_.pacing.speed)), 1, 50);
    const int frames = save_gif(st_.gif_path, rec, 3, fps, caption_font(), caption);
    exports_.push_back({st_.gif_path, caption ? caption(rec.steps.empty() ? 0 : rec.steps.back()) : "", 0, 0});
    st_.written.push_back(st_.gif_path);
    notice("GIF of " + std::to_string(frames) + " frames saved to " + st_.gif_path +
           (rec.capped ? " (stopped at the " + std::to_string(LiveSim::kMaxRecordFrames) +
                             "-frame limit)"
                       : ""));
  } catch (const std::exception& e) {
    error(e.what());
  }
}

void Studio::remember(const std::string& path) {
  recent_.add(path);
  st_.recent = recent_.items();
  if (!config_dir_.empty()) recent_.save(config_dir_ + "/recent.txt");
}

void Studio::error(const std::string& raw, int line) {
  const UserMessage m = to_user_message(raw);
  st_.errors.push_back(m);
  append_log(st_.log_path, raw);
  const std::string& text = m.text;
  ReportedError r;
  r.message = text;
  r.detail = raw;
  r.line = line >= 0 ? line : (script_ ? script_->current_line() : 0);
  r.expected = script_ && script_->expected_error(text);
  all_errors_.push_back(r);
  if ((script_ || opts_.frames > 0) && !r.expected)
    std::fprintf(stderr, "rrcnn gui: error: %s\n", text.c_str());
}

void Studio::notice(const std::string& text) {
  st_.notice = text;
  ++st_.notice_serial;
}

}  // namespace rrcnn
