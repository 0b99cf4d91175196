// The frame loop and the end of a scripted run (final screenshot and JSON report).
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/json.h"
#include "gui/studio.h"

namespace rrcnn {
namespace {

bool trainer_busy(const TrainStatus& t) {
  return t.phase == TrainPhase::kRunning || t.phase == TrainPhase::kPaused ||
         t.phase == TrainPhase::kStopping;
}

}  // namespace

int Studio::run() {
  using clock = std::chrono::steady_clock;
  last_frame_time_ = clock::now();
  bool final_frame = false;
  for (;;) {
    if (platform_.should_close()) {
      if (trainer_busy(st_.train_status)) {
        // Closing while training: stop, keep drawing until the step in flight is done.
        trainer_->stop();
        st_.closing = true;
        platform_.cancel_close();
      } else {
        break;
      }
    }
    if (st_.closing && !trainer_busy(trainer_->status())) break;
    const bool animating = st_.pacing.playing || trainer_busy(st_.train_status) || script_ ||
                           st_.gif_recording || st_.closing;
    // At most ~60 frames per second; idle, wake at least every 50 ms (events wake earlier).
    const double since = std::chrono::duration<double>(clock::now() - last_frame_time_).count();
    const double wait = animating ? std::max(0.0, 1.0 / 60.0 - since) : 0.05;
    platform_.begin_frame(wait);
    const auto now = clock::now();
    st_.status.frame_ms =
        0.9 * st_.status.frame_ms +
        0.1 * 1000.0 * std::chrono::duration<double>(now - last_frame_time_).count();
    last_frame_time_ = now;
    st_.status.ui_scale = platform_.ui_scale();
    st_.command_line = command_line();

    Commands cmds;
    if (script_) script_->tick(st_, *this, cmds, &probe_requests_);
    poll_workers();
    for (const std::string& p : platform_.take_drops()) cmds.path(Cmd::kOpenPath, p);
    try {
      renderer_.update(st_.snap, st_.view);
      st_.status.display_path = renderer_.display_path();
    } catch (const std::exception& e) {
      error(e.what());
    }
    handle_shortcuts(st_, cmds);
    draw_ui(cmds);
    platform_.render();

    // The last frame is drawn once more after the end is decided, so the commands of the
    // final script actions (a screenshot, say) take effect and show.
    if (!pending_shot_.empty() || !probe_requests_.empty() || final_frame) capture_after_render();
    platform_.swap();

    for (const Command& c : cmds.take()) {
      try {
        apply(c);
      } catch (const std::exception& e) {
        error(e.what());
      }
    }
    ++frame_;
    if (final_frame) break;
    const bool script_done =
        script_ && (script_->quit_requested() || (script_->finished() && frame_ >= opts_.frames));
    const bool frames_done = !script_ && opts_.frames > 0 && frame_ >= opts_.frames;
    final_frame = script_done || frames_done;
  }
  finish_scripted_run();
  const bool scripted = script_ || opts_.frames > 0;
  const bool failed =
      (script_ && !script_->failures().empty()) || (scripted && !all_errors_.empty());
  return failed ? 1 : 0;
}

void Studio::finish_scripted_run() {
  if (!opts_.screenshot.empty()) {
    try {
      save_png(opts_.screenshot, last_frame_);
    } catch (const std::exception& e) {
      all_errors_.push_back(e.what());
      std::fprintf(stderr, "rrcnn gui: %s\n", e.what());
    }
  }
  if (opts_.report.empty()) return;
  std::ostringstream os;
  os << "{\n  \"frames\": " << frame_ << ",\n  \"backend\": " << json_quote(st_.status.backend)
     << ",\n  \"device\": " << json_quote(st_.status.device)
     << ",\n  \"display_path\": " << json_quote(st_.status.display_path)
     << ",\n  \"gl_renderer\": " << json_quote(st_.status.gl_renderer)
     << ",\n  \"screenshot\": {\"path\": " << json_quote(opts_.screenshot)
     << ", \"width\": " << last_frame_.width << ", \"height\": " << last_frame_.height
     << ", \"mean\": " << last_frame_.mean() << ", \"stddev\": " << last_frame_.stddev()
     << "},\n  \"live_step\": " << st_.snap.step
     << ",\n  \"train_steps\": " << st_.history.points().size()
     << ",\n  \"train_state\": " << json_quote(st_.train_status.text) << ",\n  \"probes\": {";
  for (size_t i = 0; i < probe_results_.size(); ++i) {
    const ProbeResult& p = probe_results_[i];
    os << (i ? ",\n" : "\n") << "    " << json_quote(p.at.name) << ": {\"sample\": " << p.at.sample
       << ", \"x\": " << p.at.x << ", \"y\": " << p.at.y
       << ", \"on_screen\": " << (p.on_screen ? "true" : "false") << ", \"rgb\": [" << int(p.rgb[0])
       << ", " << int(p.rgb[1]) << ", " << int(p.rgb[2]) << "], \"value\": " << p.value
       << ", \"step\": " << p.step << "}";
  }
  os << "\n  },\n  \"errors\": [";
  for (size_t i = 0; i < all_errors_.size(); ++i)
    os << (i ? ", " : "") << json_quote(all_errors_[i]);
  os << "],\n  \"script_failures\": [";
  if (script_)
    for (size_t i = 0; i < script_->failures().size(); ++i)
      os << (i ? ", " : "") << json_quote(script_->failures()[i]);
  os << "]\n}\n";
  std::ofstream out(opts_.report, std::ios::trunc);
  out << os.str();
  if (!out.good())
    std::fprintf(stderr, "rrcnn gui: cannot write the report to %s\n", opts_.report.c_str());
}

}  // namespace rrcnn
