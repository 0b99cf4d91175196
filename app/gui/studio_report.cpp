// The end of a scripted run: the final screenshot and the JSON report (--report) that the smoke
// tests read: what was on screen, the probes, training, frame times, live steps/s, per-digit
// PSNR, and every error with the script line that caused it.
#include <cstdio>
#include <exception>
#include <fstream>
#include <sstream>

#include "core/config_json.h"
#include "core/json_io.h"
#include "core/metrics.h"
#include "gui/studio.h"
#include "gui/training/train_advice.h"

namespace rrcnn {
namespace {

void stats_json(std::ostream& os, const SampleStats& s) {
  os << "{\"count\": " << s.count() << ", \"mean\": " << s.mean()
     << ", \"p50\": " << s.percentile(50) << ", \"p95\": " << s.percentile(95)
     << ", \"max\": " << s.max() << "}";
}

}  // namespace

void Studio::finish_scripted_run() {
  if (script_) script_->finish();
  try {
    stop_recording();  // --record, or a recording the user left running: written at the end
  } catch (const std::exception& e) {
    error(e.what(), 0);
  }
  final_hash_ = state_hash();  // waits for the live view to apply every command sent
  poll_workers();  // so a GIF stopped by the script's last lines is written now, not lost
  if (!opts_.screenshot.empty()) {
    try {
      save_png(opts_.screenshot, last_frame_, st_.captions ? picture_caption(caption_info()) : "",
               caption_font());
    } catch (const std::exception& e) {
      error(e.what(), 0);
    }
  }
  save_layout();
  if (!opts_.report.empty()) write_report();
}

void Studio::write_report() const {
  std::ostringstream os;
  os << "{\n  \"frames\": " << frame_ << ",\n  \"closed_by_user\": "
     << (closed_by_user_ ? "true" : "false") << ",\n  \"prompt\": " << json_quote(st_.prompt.title)
     << ",\n  \"backend\": " << json_quote(st_.status.backend)
     << ",\n  \"device\": " << json_quote(st_.status.device)
     << ",\n  \"display_path\": " << json_quote(st_.status.display_path)
     << ",\n  \"gl_renderer\": " << json_quote(st_.status.gl_renderer)
     << ",\n  \"screenshot\": {\"path\": " << json_quote(opts_.screenshot)
     << ", \"width\": " << last_frame_.width << ", \"height\": " << last_frame_.height
     << ", \"mean\": " << last_frame_.mean() << ", \"stddev\": " << last_frame_.stddev()
     << "},\n  \"frame_ms\": ";
  stats_json(os, frame_ms_);
  os << ",\n  \"frame_work_ms\": ";
  stats_json(os, work_ms_);
  os << ",\n  \"frame_parts_ms\": {\"update\": ";
  stats_json(os, update_ms_);
  os << ", \"ui\": ";
  stats_json(os, ui_ms_);
  os << ", \"render\": ";
  stats_json(os, render_ms_);
  os << ", \"swap\": ";
  stats_json(os, swap_ms_);
  os << "}";
  // How much of the window the frames redrew (platform.h: partial redraw on software OpenGL).
  os << ",\n  \"redraw\": {\"mode\": " << json_quote(platform_.redraw_mode())
     << ", \"mean_redrawn_percent\": " << 100.0 * platform_.mean_redrawn_fraction()
     << ", \"unchanged_frames\": " << platform_.unchanged_frames()
     << ", \"checked_frames\": " << platform_.checked_frames()
     << ", \"mismatched_frames\": " << platform_.mismatched_frames()
     << ", \"first_mismatch\": " << platform_.first_mismatch() << "}";
  os << ",\n  \"live_steps_per_s\": ";
  stats_json(os, live_rate_);
  os << ",\n  \"live_step\": " << st_.snap.step << ",\n  \"live_state_hash\": \"" << final_hash_
     << "\",\n  \"psnr\": [";
  for (size_t b = 0; b < st_.snap.mse.size() && st_.snap.has_target; ++b)
    os << (b ? ", " : "") << psnr_from_mse(st_.snap.mse[b]);
  os << "],\n  \"live_diverged\": " << st_.snap.diverged_count();
  os << ",\n  \"layout_usable\": " << (layout_ok() ? "true" : "false") << ",\n  \"panels\": {";
  PanelShown shown{};
  const PanelRectSet rects = actual_panels(&shown);
  for (int i = 0; i < kPanelCount; ++i) {
    const Rect& r = rects[size_t(i)];
    os << (i ? ", " : "") << json_quote(panel_window_name(PanelId(i))) << ": [" << r.x << ", " << r.y
       << ", " << r.w << ", " << r.h << "]";
  }
  std::ifstream saved(config_dir_.empty() ? "" : config_dir_ + "/layout.txt");
  std::stringstream layout_text;
  layout_text << saved.rdbuf();
  os << "},\n  \"saved_layout\": " << json_quote(layout_text.str())
     << ",\n  \"strokes\": " << strokes_applied_
     << ",\n  \"brush_outline\": " << (ui_.live.brush_visible ? "true" : "false")
     << ",\n  \"live_playing\": " << (st_.pacing.playing ? "true" : "false")
     << ",\n  \"help_shown\": " << (st_.view.show_help ? "true" : "false")
     << ",\n  \"model\": " << json_quote(st_.model.source)
     << ",\n  \"model_name\": " << json_quote(st_.model.name)
     << ",\n  \"recipe\": " << json_quote(st_.model.recipe)
     << ",\n  \"endless\": " << (st_.pacing.endless ? "true" : "false")
     << ",\n  \"rollout\": " << st_.pacing.rollout_length << ",\n  \"models\": [";
  for (size_t i = 0; i < st_.models.size(); ++i)
    os << (i ? ", " : "") << json_quote(st_.models[i].name);
  os << "]"
     << ",\n  \"unsaved\": " << (st_.model.unsaved ? "true" : "false")
     << ",\n  \"train_steps\": " << st_.history.points().size()
     << ",\n  \"train_step\": " << st_.train_status.step
     << ",\n  \"train_state\": " << json_quote(st_.train_status.text)
     << ",\n  \"train_target\": " << st_.train.target_steps
     << ",\n  \"train_step_seconds\": " << st_.train_step_seconds
     << ",\n  \"train_step_range\": [" << st_.train_step_lo << ", " << st_.train_step_hi << "]"
     << ",\n  \"train_step_from_run\": " << (st_.train_step_from_run ? "true" : "false")
     << ",\n  \"loss_points\": " << st_.history.points().size()
     << ",\n  \"loss_log\": " << json_quote(st_.loss_log)
     << ",\n  \"gif_recording\": " << (st_.gif_recording ? "true" : "false")
     << ",\n  \"live_batch\": " << st_.snap.batch
     << ",\n  \"model_description\": " << json_quote(st_.model.description)
     << ",\n  \"recipe\": " << json_quote(st_.model.recipe)
     << ",\n  \"model_config\": " << json_quote(describe_model_config(st_.model.config))
     << ",\n  \"train_recipe\": " << json_quote(st_.train.recipe.name());
  os << ",\n  \"overlays\": [";
  for (size_t i = 0; i < st_.overlays.size(); ++i)
    os << (i ? ", " : "") << json_quote(st_.overlays[i].label);
  os << "],\n  \"recent_runs\": [";
  for (size_t i = 0; i < st_.recent_runs.size(); ++i)
    os << (i ? ", " : "") << json_quote(st_.recent_runs[i].label + " @ " + st_.recent_runs[i].path);
  os << "]";
  const TrainAdvice advice =
      advise_training(st_.train_step_seconds, st_.train_status.step, st_.train.target_steps,
                      st_.status.backend != "cuda", st_.train_step_lo, st_.train_step_hi,
                      st_.train_step_from_run);
  os << ",\n  \"train_estimate\": " << json_quote(advice.estimate)
     << ",\n  \"train_long_run\": " << (advice.long_run ? "true" : "false")
     << ",\n  \"train_suggested_target\": " << advice.suggested_target
     << ",\n  \"preset\": " << json_quote(st_.model.config.preset) << ",\n  \"probes\": {";
  for (size_t i = 0; i < probe_results_.size(); ++i) {
    const ProbeResult& p = probe_results_[i];
    os << (i ? ",\n" : "\n") << "    " << json_quote(p.at.name) << ": {\"sample\": " << p.at.sample
       << ", \"x\": " << p.at.x << ", \"y\": " << p.at.y
       << ", \"on_screen\": " << (p.on_screen ? "true" : "false") << ", \"rgb\": [" << int(p.rgb[0])
       << ", " << int(p.rgb[1]) << ", " << int(p.rgb[2]) << "], \"value\": " << p.value
       << ", \"step\": " << p.step << "}";
  }
  os << "\n  }";
  for (const bool expected : {false, true}) {
    os << ",\n  " << (expected ? "\"expected_errors\"" : "\"errors\"") << ": [";
    bool first = true;
    for (const ReportedError& e : all_errors_) {
      if (e.expected != expected) continue;
      os << (first ? "" : ", ") << "{\"message\": " << json_quote(e.message)
         << ", \"detail\": " << json_quote(e.detail) << ", \"line\": " << e.line << "}";
      first = false;
    }
    os << "]";
  }
  os << ",\n  \"written\": [";
  for (size_t i = 0; i < st_.written.size(); ++i)
    os << (i ? ", " : "") << json_quote(st_.written[i]);
  os << "],\n  \"exports\": [";
  for (size_t i = 0; i < exports_.size(); ++i)
    os << (i ? ", " : "") << "{\"path\": " << json_quote(exports_[i].path)
       << ", \"width\": " << exports_[i].width << ", \"height\": " << exports_[i].height
       << ", \"caption\": " << json_quote(exports_[i].caption) << "}";
  os << "]" << ab_report();  // A/B (ab/studio_ab.cpp)
  os << ",\n  \"notice\": " << json_quote(st_.notice) << ",\n  \"script_failures\": [";
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
