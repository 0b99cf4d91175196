// The Controls window: playback (play, step, reset, speed, rollout length) and the noise that
// makes the inputs (level, dropout, seed, blank canvas). Brush, view and files sections live in
// their own files.
#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "gui/panels/panels.h"
#include "gui/panels/theme.h"
#include "gui/panels/widgets.h"

namespace rrcnn {

void draw_controls_panel(const StudioState& s, UiScratch& ui, Commands& out) {
  if (!s.view.show_controls) return;
  bool open = true;
  if (!ImGui::Begin("Controls", &open)) {
    ImGui::End();
    return;
  }
  // Save / Load next to the model they act on: above the fold at the default window size.
  draw_model_section(s, out);
  draw_ab_section(s, out);
  draw_files_section(s, ui, out);
  draw_playback_section(s, out);
  draw_noise_section(s, out);
  draw_brush_section(s, out);
  draw_view_section(s, out);
  ImGui::End();
  if (!open) {
    Command c{Cmd::kSetView};
    c.view = s.view;
    c.view.show_controls = false;
    out.push(c);
  }
}

void draw_playback_section(const StudioState& s, Commands& out) {
  if (!section("Playback")) return;
  const float w = ImGui::GetContentRegionAvail().x;
  const float third = (w - 2 * ImGui::GetStyle().ItemSpacing.x) / 3;
  const bool playing = s.pacing.playing;
  Command pace{Cmd::kSetPacing};
  pace.pacing = s.pacing;
  if (toggle_button(playing ? "Pause" : "Play", playing, ImVec2(third, 0))) {
    pace.pacing.playing = !playing;
    out.push(pace);
  }
  tip("Run or pause the live rollout (Space). At the end of a rollout, Play starts it again.");
  ImGui::SameLine();
  ImGui::BeginDisabled(playing);
  if (ImGui::Button("Step", ImVec2(third, 0))) {
    Command c{Cmd::kStep};
    c.n = 1;
    out.push(c);
  }
  ImGui::EndDisabled();
  tip("Advance one step while paused (S).");
  ImGui::SameLine();
  if (ImGui::Button("Reset", ImVec2(third, 0))) out.push(Cmd::kReset);
  tip("Back to step 0: same digits, same noise, hidden channels cleared (R).");

  const float half = (w - ImGui::GetStyle().ItemSpacing.x) / 2;
  if (ImGui::Button("New digits", ImVec2(half, 0))) {
    Command c{Cmd::kNewDigits};
    c.flag = false;
    out.push(c);
  }
  tip("Next digits from the held-out set, fresh noise, rollout from step 0 (N).");
  ImGui::SameLine();
  if (ImGui::Button("Swap digits", ImVec2(half, 0))) {
    Command c{Cmd::kNewDigits};
    c.flag = true;
    out.push(c);
  }
  tip("New noisy digits into the image channel only: the hidden channels keep what they hold "
      "(Shift+N). Watch whether the automaton adapts.");
  if (ImGui::Button("New noise", ImVec2(half, 0))) out.push(Cmd::kNewNoise);
  tip("Same digits, a fresh noise draw (M).");
  ImGui::SameLine();
  const int64_t len = s.pacing.rollout_length;
  char prog[64];
  if (s.pacing.endless)
    std::snprintf(prog, sizeof prog, "step %lld (runs on)", (long long)s.snap.step);
  else
    std::snprintf(prog, sizeof prog, "step %lld / %lld", (long long)s.snap.step, (long long)len);
  ImGui::ProgressBar(len > 0 && !s.pacing.endless
                         ? float(std::min<int64_t>(s.snap.step, len)) / float(len)
                         : 0.0f,
                     ImVec2(half, 0), prog);
  tip("Steps run since the last reset, out of the rollout length.");

  // The speed slider leaves room for its label and the "max" checkbox on the same row.
  const ImGuiStyle& st = ImGui::GetStyle();
  const float max_w = ImGui::GetFrameHeight() + st.ItemInnerSpacing.x + ImGui::CalcTextSize("max").x;
  float speed = s.pacing.speed;
  ImGui::SetNextItemWidth(std::max(w - max_w - ImGui::CalcTextSize("speed").x -
                                       st.ItemInnerSpacing.x - st.ItemSpacing.x,
                                   ImGui::GetFontSize() * 3));
  ImGui::BeginDisabled(s.pacing.max_speed);
  if (ImGui::SliderFloat("speed", &speed, 0.5f, 240.0f, "%.1f steps/s",
                         ImGuiSliderFlags_Logarithmic)) {
    pace.pacing = s.pacing;
    pace.pacing.speed = speed;
    out.push(pace);
  }
  ImGui::EndDisabled();
  tip("Steps per second, from slow motion (0.5) up; Ctrl+click to type a value.");
  ImGui::SameLine();
  bool max_speed = s.pacing.max_speed;
  if (ImGui::Checkbox("max", &max_speed)) {
    pace.pacing = s.pacing;
    pace.pacing.max_speed = max_speed;
    out.push(pace);
  }
  tip("As fast as this machine goes (the window stays responsive).");
  ImGui::PushItemWidth(-ImGui::GetFontSize() * 4.2f);
  int length = s.pacing.rollout_length;
  if (ImGui::SliderInt("rollout", &length, 1, 1024, "%d steps", ImGuiSliderFlags_Logarithmic)) {
    pace.pacing = s.pacing;
    pace.pacing.rollout_length = length;
    out.push(pace);
  }
  tip("Rollout length: the view pauses (or loops) after this many steps. A model opens at the "
      "horizon it was trained for (64 steps for the shipped ones), where it is at its best.");
  ImGui::PopItemWidth();
  bool loop = s.pacing.loop;
  ImGui::BeginDisabled(s.pacing.endless);
  if (ImGui::Checkbox("Loop with new digits", &loop)) {
    pace.pacing = s.pacing;
    pace.pacing.loop = loop;
    out.push(pace);
  }
  ImGui::EndDisabled();
  tip("At the end of a rollout, fetch new digits and keep playing.");
  ImGui::SameLine();
  bool endless = s.pacing.endless;
  if (ImGui::Checkbox("run on", &endless)) {
    pace.pacing = s.pacing;
    pace.pacing.endless = endless;
    out.push(pace);
  }
  tip("Keep stepping past the rollout length, with no end: the default for persistent models "
      "(trained with a sample pool), which hold their digits indefinitely.");
}

void draw_noise_section(const StudioState& s, Commands& out) {
  if (!section("Input noise and dropout")) return;
  Command c{Cmd::kSetNoise};
  c.noise = s.noise;
  bool changed = false;
  if (ImGui::RadioButton("random per digit", s.noise.random_alpha)) {
    c.noise.random_alpha = true;
    changed = true;
  }
  tip("Each digit gets its own noise level alpha ~ U(0,1), as in training.");
  ImGui::SameLine();
  if (ImGui::RadioButton("fixed", !s.noise.random_alpha)) {
    c.noise.random_alpha = false;
    changed = true;
  }
  tip("Every digit gets the same noise level (the slider below).");
  ImGui::PushItemWidth(-ImGui::GetFontSize() * 4.2f);
  ImGui::BeginDisabled(s.noise.random_alpha);
  float alpha = s.noise.alpha;
  if (ImGui::SliderFloat("alpha", &alpha, 0.0f, 1.0f, "%.2f")) {
    c.noise.alpha = alpha;
    changed = true;
  }
  ImGui::EndDisabled();
  tip("Noise level: noisy = clip((1 - alpha) digit + alpha N(0,1), 0, 1). Changing it restarts "
      "the rollout with the new noise.");
  float dropout = s.noise.dropout;
  if (ImGui::SliderFloat("dropout", &dropout, 0.0f, 0.95f, "%.2f")) {
    c.noise.dropout = dropout;
    changed = true;
  }
  tip("Cell dropout rate of the live view: the fraction of cells that skip each update. The model "
      "was trained with 0.5; 0 makes the rollout deterministic. Takes effect at the next step.");
  int seed = int(s.noise.seed);
  if (ImGui::InputInt("seed", &seed)) {
    c.noise.seed = uint64_t(seed < 0 ? 0 : seed);
    changed = true;
  }
  tip("Seed of the live view's noise, dropout masks and digit choice.");
  int batch = s.noise.batch;
  if (ImGui::SliderInt("digits", &batch, 1, 32) && batch != s.noise.batch) {
    c.noise.batch = batch;
    changed = true;
  }
  tip("How many digits run side by side (takes new digits).");
  ImGui::PopItemWidth();
  if (changed) out.push(c);

  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  if (ImGui::Button("Blank canvas", ImVec2(half, 0))) out.push(Cmd::kBlank);
  tip("Clear every digit to draw your own with the brush (C). Then press 'Add noise'.");
  ImGui::SameLine();
  if (ImGui::Button("Add noise", ImVec2(half, 0))) out.push(Cmd::kAddNoise);
  tip("Your drawing becomes the target; the rollout restarts from a noisy copy of it (A).");
}

}  // namespace rrcnn
