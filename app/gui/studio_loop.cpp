// The frame loop (the end of a scripted run is in studio_report.cpp).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>

#include "gui/studio.h"

namespace rrcnn {
namespace {

bool trainer_busy(const TrainStatus& t) {
  return t.phase == TrainPhase::kRunning || t.phase == TrainPhase::kPaused ||
         t.phase == TrainPhase::kStopping;
}

}  // namespace

double Studio::frame_wait(std::chrono::steady_clock::time_point now) {
  // Something moves: at most ~60 frames per second.
  const bool training = st_.train_status.phase == TrainPhase::kRunning;
  const bool animating = st_.pacing.playing || training || script_ ||
                         st_.gif_recording || st_.closing || ui_.toast_animating ||
                         opts_.frames > 0 || !st_.errors.empty();
  if (animating) return 1.0 / 60.0;
  // The user just did something: keep drawing a moment (hover, tooltips, a click's effect).
  const uint64_t events = platform_.input_events();
  if (events != input_events_seen_) {
    input_events_seen_ = events;
    last_input_ = now;
  }
  if (std::chrono::duration<double>(now - last_input_).count() < 1.0) return 1.0 / 60.0;
  // Waiting on a worker (a measured step, the play that is just starting, a step in flight)
  // or a blinking text cursor: a few frames a second.
  if (st_.pacing.playing || st_.train_probe_busy || trainer_busy(st_.train_status) ||
      ImGui::GetIO().WantTextInput)
    return 0.25;
  // Idle: sleep until an event (the window redraws once a second regardless).
  return 1.0;
}

int Studio::run() {
  using clock = std::chrono::steady_clock;
  last_frame_time_ = clock::now();
  bool final_frame = false;
  for (;;) {
    if (platform_.should_close()) {
      if (trace_) std::fprintf(stderr, "rrcnn gui: frame %lld: close requested\n", (long long)frame_);
      closed_by_user_ = true;
      if (st_.model.unsaved && !quit_confirmed_ && !st_.closing) {
        platform_.cancel_close();  // ask first (save / discard / cancel)
        closed_by_user_ = false;
        ask_before_discarding(Command{Cmd::kQuit});
      } else if (trainer_busy(st_.train_status)) {
        // Closing while training: stop, keep drawing until the step in flight is done.
        trainer_->stop();
        st_.closing = true;
        platform_.cancel_close();
      } else {
        break;
      }
    }
    if (st_.closing && !trainer_busy(trainer_->status())) break;
    const double since = std::chrono::duration<double>(clock::now() - last_frame_time_).count();
    double wait = std::max(0.0, frame_wait(clock::now()) - since);
    if (frame_wait(clock::now()) >= 1.0 && frame_ > 0) {
      // Idle: sleep until an event; draw nothing when none came and no worker has news (a
      // frame costs tens of milliseconds on a software renderer), at least every 5 s.
      platform_.wait_events(1.0);
      const bool input = platform_.input_events() != input_events_seen_;
      const bool news = sim_->fetch(&st_.snap);
      if (!input && !news && !platform_.should_close() && since < 5.0) continue;
      wait = 0;  // the event (or the news) is here: draw it now
    }
    platform_.begin_frame(wait);
    const auto now = clock::now();
    const double interval_ms = 1000.0 * std::chrono::duration<double>(now - last_frame_time_).count();
    st_.status.frame_ms = 0.9 * st_.status.frame_ms + 0.1 * interval_ms;
    if (frame_ > 0) frame_ms_.add(interval_ms);
    last_frame_time_ = now;
    if (st_.pacing.playing && st_.snap.steps_per_sec > 0) live_rate_.add(st_.snap.steps_per_sec);
    st_.status.ui_scale = platform_.ui_scale();
    update_session_commands();  // F1 and Copy as command (studio_session.cpp)

    Commands cmds;
    st_.browser_open = ui_.browser.is_open();
    if (script_) script_->tick(st_, *this, cmds, &probe_requests_);
    poll_workers();
    poll_recording();
    for (const std::string& p : platform_.take_drops()) cmds.path(Cmd::kOpenPath, p);
    try {
      renderer_.update(st_.snap, st_.view);
      st_.status.display_path = renderer_.display_path();
    } catch (const std::exception& e) {
      error(e.what());
    }
    const auto t_update = clock::now();
    handle_shortcuts(st_, ui_, cmds);
    draw_ui(cmds);
    const auto t_ui = clock::now();
    platform_.render();
    const auto t_render = clock::now();

    // The last frame is drawn once more after the end is decided, so the commands of the
    // final script actions (a screenshot, say) take effect and show.
    if (!pending_shot_.empty() || !probe_requests_.empty() || final_frame) capture_after_render();
    platform_.swap();
    const auto ms = [](clock::time_point a, clock::time_point b) {
      return 1000.0 * std::chrono::duration<double>(b - a).count();
    };
    update_ms_.add(ms(now, t_update));
    ui_ms_.add(ms(t_update, t_ui));
    render_ms_.add(ms(t_ui, t_render));
    swap_ms_.add(ms(t_render, clock::now()));

    for (const Command& c : cmds.take()) {
      if (trace_) std::fprintf(stderr, "rrcnn gui: frame %lld: command %d\n", (long long)frame_, int(c.kind));
      try {
        apply(c);
      } catch (const std::exception& e) {
        error(e.what(), c.script_line);
        after_save_.reset();  // a failed save does not go on to discard the weights
      }
    }
    // The Save of the unsaved-weights question was cancelled in the browser: nothing follows.
    if (after_save_ && !ui_.browser.is_open() && st_.prompt.kind == Prompt::kNone)
      after_save_.reset();
    work_ms_.add(1000.0 * std::chrono::duration<double>(clock::now() - now).count());
    ++frame_;
    if (final_frame) break;
    const bool script_done =
        script_ && (script_->quit_requested() || (script_->finished() && frame_ >= opts_.frames));
    const bool frames_done = !script_ && opts_.frames > 0 && frame_ >= opts_.frames;
    final_frame = script_done || frames_done;
  }
  finish_scripted_run();
  const bool scripted = script_ || opts_.frames > 0;
  bool unexpected = false;
  for (const ReportedError& e : all_errors_) unexpected |= !e.expected;
  const bool failed = (script_ && !script_->failures().empty()) || (scripted && unexpected);
  return failed ? 1 : 0;
}

}  // namespace rrcnn
