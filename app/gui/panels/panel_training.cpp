// The Training window: the run's explicit state, start / pause / resume / stop, learning rate,
// batch and length (live: they apply at the next step), the expected duration before a run
// (from a step time measured here) with an offer when it would be long on the CPU, progress with
// steps/s and ETA, the loss plot, weight resets and the CSV export of the loss history.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>

#include "gui/panels/panels.h"
#include "gui/panels/plot_math.h"
#include "gui/training/train_advice.h"
#include "gui/panels/theme.h"
#include "gui/panels/widgets.h"

namespace rrcnn {
namespace {

ImVec4 phase_color(TrainPhase p, const std::string& text) {
  switch (p) {
    case TrainPhase::kRunning:
      return colors::kGood;
    case TrainPhase::kPaused:
      return colors::kWarn;
    case TrainPhase::kStopping:
      return colors::kWarn;
    case TrainPhase::kFinished:
      return text.find("error") != std::string::npos ? colors::kBad : colors::kAccent;
    case TrainPhase::kIdle:
      break;
  }
  return colors::kDim;
}

void train_buttons(const StudioState& s, Commands& out) {
  const TrainPhase ph = s.train_status.phase;
  const float w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  if (ph == TrainPhase::kRunning) {
    if (ImGui::Button("Pause", ImVec2(w, 0))) out.push(Cmd::kTrainPause);
    tip("Pause after the step in flight (T). The live view keeps running.");
  } else if (ph == TrainPhase::kPaused) {
    if (toggle_button("Resume", true, ImVec2(w, 0))) out.push(Cmd::kTrainResume);
    tip("Continue training (T).");
  } else {
    ImGui::BeginDisabled(ph == TrainPhase::kStopping);
    if (toggle_button(ph == TrainPhase::kFinished ? "Continue" : "Start", true, ImVec2(w, 0)))
      out.push(Cmd::kTrainStart);
    ImGui::EndDisabled();
    tip("Train on a worker thread from the current weights (T). The live view follows the weights "
        "as they are trained.");
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(ph != TrainPhase::kRunning && ph != TrainPhase::kPaused);
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.45f, 0.16f, 0.16f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.58f, 0.20f, 0.20f, 1.0f));
  if (ImGui::Button("Stop", ImVec2(w, 0))) out.push(Cmd::kTrainStop);
  ImGui::PopStyleColor(2);
  ImGui::EndDisabled();
  tip("Stop the run (Shift+T). Answers at once; the step in flight finishes in the background.");
}

void train_settings(const StudioState& s, Commands& out) {
  Command c{Cmd::kSetTrain};
  c.train = s.train;
  bool changed = false;
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.5f - ImGui::GetFontSize() * 4.5f);
  changed |= ImGui::SliderFloat("lr start", &c.train.lr_start, 1e-5f, 1e-1f, "%.1e",
                                ImGuiSliderFlags_Logarithmic);
  tip("Learning rate at step 0 of the linear schedule (reference: 1e-3). Applies at the next "
      "step.");
  ImGui::SameLine();
  changed |= ImGui::SliderFloat("lr end", &c.train.lr_end, 1e-6f, 1e-1f, "%.1e",
                                ImGuiSliderFlags_Logarithmic);
  tip("Learning rate after the decay (reference: 1e-4).");
  changed |= ImGui::SliderInt("decay", &c.train.lr_decay_steps, 0, 20000, "%d steps",
                              ImGuiSliderFlags_Logarithmic);
  tip("Steps over which the learning rate falls linearly from start to end (reference: 2000).");
  ImGui::SameLine();
  changed |= ImGui::SliderInt("batch", &c.train.batch, 1, 64);
  tip("Digits per optimiser step (reference: 8). Larger is smoother and slower.");
  changed |= ImGui::SliderInt("target", &c.train.target_steps, 1, 100000, "%d steps",
                              ImGuiSliderFlags_Logarithmic);
  tip("The run finishes (completed) at this optimiser step (reference: 8192).");
  ImGui::PopItemWidth();
  if (changed) out.push(c);
}

// Before a run: how long it would take here; on the CPU, when that is long, two ways out.
void expected_duration(const StudioState& s, Commands& out) {
  const TrainPhase ph = s.train_status.phase;
  if (ph != TrainPhase::kIdle && ph != TrainPhase::kFinished) return;
  const bool cpu = s.status.backend != "cuda";
  ImGui::PushTextWrapPos(0);
  if (s.train_probe_busy && !(s.train_step_seconds > 0)) {
    ImGui::TextDisabled("timing a few training steps to estimate the run's duration...");
    ImGui::PopTextWrapPos();
    return;
  }
  if (s.train_status.step >= s.train.target_steps) {
    ImGui::TextDisabled("Target reached (step %lld): Start (T) offers more steps.",
                        (long long)s.train_status.step);
    ImGui::PopTextWrapPos();
    return;
  }
  ImGui::PopTextWrapPos();
  const TrainAdvice a =
      advise_training(s.train_step_seconds, s.train_status.step, s.train.target_steps, cpu,
                      s.train_step_lo, s.train_step_hi, s.train_step_from_run);
  if (a.estimate.empty()) return;
  if (!a.long_run) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", a.estimate.c_str());
    ImGui::PopTextWrapPos();
    return;
  }
  ImGui::PushTextWrapPos(0);
  ImGui::TextColored(colors::kWarn, "On this CPU the run takes %s.", a.estimate.c_str());
  ImGui::PopTextWrapPos();
  const float w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  if (ImGui::Button(a.offer.c_str(), ImVec2(w, 0))) {
    Command c{Cmd::kSetTrain};
    c.train = s.train;
    c.train.target_steps = a.suggested_target;
    out.push(c);
  }
  tip(("Set the target to step " + std::to_string(a.suggested_target) + ": " + a.suggestion +
       ". Raise it later and press Continue to train on from there.")
          .c_str());
  ImGui::SameLine();
  ImGui::BeginDisabled(s.model.config.preset == "lite");
  if (ImGui::Button("Use the lite model", ImVec2(w, 0))) {
    Command c{Cmd::kUsePreset};
    c.path = "lite";
    out.push(c);
  }
  ImGui::EndDisabled();
  tip("Start from a fresh, smaller model (16 channels, 32 steps) that trains in minutes on a CPU. "
      "The current weights are replaced (you are asked first when they are not saved).");
}

}  // namespace

void draw_training_panel(const StudioState& s, UiScratch& ui, Commands& out) {
  (void)ui;
  if (!s.view.show_training) return;
  bool open = true;
  if (!ImGui::Begin("Training", &open)) {
    ImGui::End();
    return;
  }
  const TrainStatus& st = s.train_status;
  std::string label = st.text;
  for (char& ch : label) ch = char(std::toupper(static_cast<unsigned char>(ch)));
  badge(label.c_str(), phase_color(st.phase, st.text));
  const bool active = st.phase == TrainPhase::kRunning || st.phase == TrainPhase::kPaused;
  const double rate = st.phase == TrainPhase::kRunning ? s.train_rate : 0.0;
  const double eta = s.train_eta;
  ImGui::SameLine();
  ImGui::Text("step %lld / %d", (long long)st.step, s.train.target_steps);
  ImGui::TextDisabled("%.2f steps/s   ETA %s%s", rate,
                      st.phase == TrainPhase::kRunning ? format_duration(eta).c_str() : "--",
                      st.busy ? "   (a step is in flight)" : "");
  if (!s.history.empty()) {
    const TrainPoint& p = s.history.points().back();
    ImGui::TextDisabled("loss");
    ImGui::SameLine();
    ImGui::TextColored(colors::kLoss, "%.5g", double(p.loss));
    ImGui::SameLine();
    ImGui::TextDisabled(" avg");
    ImGui::SameLine();
    ImGui::TextColored(colors::kLossAvg, "%.5g", double(s.history.moving_average().back()));
    ImGui::SameLine();
    ImGui::TextDisabled(" lr");
    ImGui::SameLine();
    ImGui::TextColored(colors::kLr, "%.2e", double(p.lr));
    ImGui::SameLine();
    ImGui::TextDisabled(" grad norm %.4g", double(p.grad_norm));
  }
  train_buttons(s, out);
  draw_recipe_section(s, out);  // panel_runs.cpp
  train_settings(s, out);
  expected_duration(s, out);
  draw_run_overlays(s, out);

  const float bottom = ImGui::GetFrameHeightWithSpacing() + 4;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  draw_loss_plot(s.history, s.train,
                 empty_plot_message(st.phase, st.busy, s.train_step_seconds),
                 ImVec2(avail.x, std::max(avail.y - bottom, ImGui::GetFontSize() * 6)), s.overlays);

  ImGui::BeginDisabled(active || st.phase == TrainPhase::kStopping);
  if (ImGui::Button("Reset weights")) out.push(Cmd::kResetWeights);
  tip("Fresh initial weights from the same init seed (the run starts over).");
  ImGui::SameLine();
  if (ImGui::Button("Reseed")) out.push(Cmd::kReseedWeights);
  tip("Fresh initial weights from a new init seed.");
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(s.history.empty());
  if (ImGui::Button("Export CSV")) out.push(Cmd::kExportLoss);
  tip("Write the loss history (step, loss, moving average, lr, grad norm, seconds) to a new "
      "time-stamped CSV file in the studio's data folder.");
  ImGui::SameLine();
  if (ImGui::Button("Export as...")) out.push(browse_command(BrowsePurpose::kExportLoss));
  tip("Choose the CSV file for the loss history.");
  ImGui::EndDisabled();
  ImGui::End();
  if (!open) {
    Command c{Cmd::kSetView};
    c.view = s.view;
    c.view.show_training = false;
    out.push(c);
  }
}

}  // namespace rrcnn
