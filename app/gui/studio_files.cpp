// Files in and out of the studio: checkpoints, digits (directories or dropped IDX files), the
// loss history CSV and the GIF of a recorded rollout; plus the error/notice plumbing.
#include <cstdio>

#include "core/error.h"
#include "gui/file_kind.h"
#include "gui/studio.h"

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

void Studio::save_checkpoint_to(const std::string& path, bool with_optimizer) {
  RRCNN_CHECK(!path.empty(), "save: enter a checkpoint path (.safetensors) first");
  Checkpoint ck;
  ck.config = st_.model.config;
  ck.params = params_;
  ck.adam = adam_;
  ck.seed = st_.train.seed;
  ck.note = "rrcnn studio";
  save_checkpoint(path, ck, with_optimizer && !adam_.empty());
  remember(path);
  st_.ckpt_path = path;
  st_.model.unsaved = false;
  notice("saved " + path + " (optimiser step " + std::to_string(adam_.step) + ")");
}

void Studio::load_checkpoint_from(const std::string& path) {
  RRCNN_CHECK(!path.empty(), "load: enter a checkpoint path (.safetensors) first");
  RRCNN_CHECK(!training_active(trainer_->status()), "stop training before loading other weights");
  Checkpoint ck = load_checkpoint(path);
  RRCNN_CHECK(ck.config.height == view_data_->height && ck.config.width == view_data_->width,
              path << ": the model's grid is " << ck.config.height << "x" << ck.config.width
                   << " but the digits are " << view_data_->height << "x" << view_data_->width);
  set_weights(ck.config, std::move(ck.params), std::move(ck.adam), path, false);
  st_.train.seed = ck.seed;
  st_.ckpt_path = path;
  std::snprintf(ui_.ckpt_path, sizeof ui_.ckpt_path, "%s", path.c_str());
  remember(path);
  notice("loaded " + path);
}

void Studio::open_path(const std::string& path) {
  RRCNN_CHECK(!path.empty(), "open: enter a path first");
  const FileKind kind = classify_file(path);
  RRCNN_CHECK(kind != FileKind::kIdxLabels,
              path << " holds labels only: drop the images file (…-images-idx3-ubyte) instead");
  RRCNN_CHECK(kind != FileKind::kMissing, path << ": no such file or directory");
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
  sim_->post(s);
  st_.data_source = source;
  std::snprintf(ui_.data_path, sizeof ui_.data_path, "%s", source.c_str());
  notice("digits from " + source + " (" + std::to_string(view_data_->count()) + " shown, " +
         std::to_string(train_data_->count()) +
         " for training; training picks them up at its next start)");
}

void Studio::export_loss(const std::string& path) {
  RRCNN_CHECK(!path.empty(), "export: enter a file name (.csv) first");
  RRCNN_CHECK(!st_.history.empty(), "export: no training steps yet");
  st_.history.write_csv(path);
  notice("loss history (" + std::to_string(st_.history.points().size()) + " steps) written to " +
         path);
}

void Studio::start_gif(const std::string& path) {
  RRCNN_CHECK(ends_with(path, ".gif"),
              "GIF: the file name must end in .gif (got '" << path << "')");
  st_.gif_path = path;
  sim_->post(SimCommand{SimOp::kRecordStart});
  SimPacing p = st_.pacing;
  p.playing = true;
  st_.pacing = p;
  sim_->set_pacing(p);
  notice("recording " + std::to_string(p.rollout_length) + " steps to " + path + "...");
}

void Studio::finish_gif(const SimRecording& rec) {
  try {
    const int frames = save_gif(st_.gif_path, rec, 3, 20);
    notice("GIF of " + std::to_string(frames) + " frames saved to " + st_.gif_path);
  } catch (const std::exception& e) {
    error(e.what());
  }
}

void Studio::remember(const std::string& path) {
  recent_.add(path);
  st_.recent = recent_.items();
  if (!config_dir_.empty()) recent_.save(config_dir_ + "/recent.txt");
}

void Studio::error(const std::string& text, int line) {
  st_.errors.push_back(text);
  ReportedError r;
  r.message = text;
  r.line = line >= 0 ? line : (script_ ? script_->current_line() : 0);
  r.expected = script_ && script_->expected_error(text);
  all_errors_.push_back(r);
  if ((script_ || opts_.frames > 0) && !r.expected)
    std::fprintf(stderr, "rrcnn gui: error: %s\n", text.c_str());
}

void Studio::notice(const std::string& text) {
  st_.notice = text;
}

}  // namespace rrcnn
