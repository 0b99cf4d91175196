// Models and runs of your own, in the Training window and a dialog: the New model dialog (the
// fields of `rrcnn train`, the parameter count, every invalid field named in one line, and the
// time of a training step measured here on a worker before anything is committed), the recipe
// a run trains with (reference, or a sample pool with its horizon range, replacement and
// damage) beside the recipe the loaded weights were trained with, and the earlier runs drawn
// over the loss plot (from the recent runs or any log file), each removable.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>

#include "core/config_json.h"
#include "core/pool_trainer.h"
#include "gui/files/shipped_models.h"
#include "gui/panels/panels.h"
#include "gui/panels/plot_math.h"
#include "gui/panels/theme.h"
#include "gui/panels/widgets.h"
#include "imgui_stdlib.h"

namespace rrcnn {
namespace {

const char* kDamageModes[] = {"erase", "noise", "mixed", "brushes"};

void measured_step(const StudioState& s, const ModelConfig& c, const std::string& json,
                   Commands& out) {
  const NewModelTiming& t = s.new_model;
  const bool this_one = t.config == json && t.batch == s.train.batch;
  if (!this_one) {
    Command probe{Cmd::kNewModelProbe};  // the studio takes it once its probe is free
    probe.path = json;
    out.push(probe);
  }
  if (!this_one || t.median <= 0) {
    ImGui::TextDisabled("timing a few training steps of this model here (batch %d)...",
                        s.train.batch);
    return;
  }
  char step[32];
  if (t.median < 0.1)
    std::snprintf(step, sizeof step, "%.0f ms", t.median * 1000);
  else if (t.median < 60)
    std::snprintf(step, sizeof step, "%.2f s", t.median);
  else
    std::snprintf(step, sizeof step, "%s", format_duration(t.median).c_str());
  ImGui::Text("One training step here: %s", step);
  ImGui::SameLine();
  ImGui::TextDisabled("(%.3g..%.3g s over several timed steps, %s)", t.lo, t.hi,
                      s.status.backend.c_str());
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 33);
  ImGui::TextDisabled("A run to the target (%d steps) takes about %s here, each step a %d-step "
                      "rollout at batch %d.",
                      s.train.target_steps,
                      format_duration(t.median * s.train.target_steps).c_str(), c.rollout_steps,
                      s.train.batch);
  ImGui::PopTextWrapPos();
}

}  // namespace

void draw_new_model_dialog(const StudioState& s, UiScratch& ui, Commands& out) {
  if (!ui.new_model_open) return;
  if (!ImGui::IsPopupOpen("New model")) ImGui::OpenPopup("New model");
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  // A fixed width, the height of what it holds (the measured step appears after a moment).
  const float width = ImGui::GetFontSize() * 34;
  ImGui::SetNextWindowSizeConstraints(ImVec2(width, 0), ImVec2(width, vp->WorkSize.y));
  bool open = true;
  if (!ImGui::BeginPopupModal("New model", &open, ImGuiWindowFlags_AlwaysAutoResize)) {
    if (!open) ui.new_model_open = false;
    return;
  }
  ModelForm& f = ui.new_model_form;
  ImGui::PushTextWrapPos(width - ImGui::GetStyle().WindowPadding.x);
  ImGui::TextDisabled("Fresh weights of any architecture of the reference family. The fields "
                      "are rrcnn train's flags; the same config file works on the command line.");
  ImGui::PopTextWrapPos();
  if (ImGui::Button("seed size")) f = ModelForm::from(model_preset("seed"));
  tip("The reference configuration: 64 channels, perception 64, hidden 128,128.");
  ImGui::SameLine();
  if (ImGui::Button("lite size")) f = ModelForm::from(model_preset("lite"));
  tip("A small configuration that trains in minutes on a CPU.");
  ImGui::Separator();
  ImGui::PushItemWidth(ImGui::GetFontSize() * 12);
  ImGui::InputText("name", &f.name);
  tip("The config's name: checkpoints and logs carry it (rrcnn info prints it).");
  ImGui::InputInt("channels (C)", &f.channels);
  tip("State channels per cell; the last one is the image (--channels).");
  ImGui::InputInt("perception (P)", &f.perception);
  tip("Outputs of the 3x3 perception convolution (--perception).");
  ImGui::InputText("hidden", &f.hidden);
  tip("Widths of the update network's hidden layers, comma-separated, 1 to 8 of them (--hidden).");
  ImGui::InputFloat("dropout", &f.dropout, 0.05f, 0.1f, "%.2f");
  tip("Cell dropout rate in [0, 1): the share of cells not updated each step (--dropout).");
  ImGui::InputFloat("step size", &f.step_size, 0.1f, 0.5f, "%.3g");
  tip("Scale of each update added to the state (--step-size).");
  ImGui::InputInt("horizon", &f.horizon);
  tip("Steps of the rollout before the loss, the reference recipe's T (--horizon).");
  ImGui::Checkbox("train perception", &f.train_perception);
  tip("The 3x3 kernel gets gradients and Adam updates, instead of staying random and frozen as "
      "in the reference (--train-perception).");
  ImGui::PopItemWidth();
  ImGui::Separator();

  ModelConfig c;
  std::string why;
  const bool valid = f.to_config(s.model.config.height, s.model.config.width, &c, &why);
  if (valid) {
    ImGui::Text("%s", parameter_count_text(c).c_str());
    measured_step(s, c, model_config_to_json(c), out);
  } else {
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 33);
    ImGui::TextColored(colors::kBad, "%s", why.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::Separator();
  const bool training = s.train_status.phase == TrainPhase::kRunning ||
                        s.train_status.phase == TrainPhase::kPaused ||
                        s.train_status.phase == TrainPhase::kStopping;
  ImGui::BeginDisabled(!valid || training);
  if (ImGui::Button("Create", ImVec2(ImGui::GetFontSize() * 7, 0))) {
    Command n{Cmd::kNewModel};
    n.path = model_config_to_json(c);
    out.push(n);
    // Closed now: the question about unsaved weights, if any, is a dialog of its own.
    ui.new_model_open = false;
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndDisabled();
  tip(training ? "Stop training first." : "Replace the weights with fresh ones of this architecture.");
  ImGui::SameLine();
  if (ImGui::Button("Cancel", ImVec2(ImGui::GetFontSize() * 7, 0)) ||
      ImGui::IsKeyPressed(ImGuiKey_Escape, false)) {
    ui.new_model_open = false;
    ImGui::CloseCurrentPopup();
  }
  if (!open) ui.new_model_open = false;
  ImGui::EndPopup();
}

void draw_recipe_section(const StudioState& s, Commands& out) {
  ImGui::TextDisabled("these weights:");
  ImGui::SameLine();
  if (s.model.fresh && s.model.optimizer_step == 0)
    ImGui::Text("untrained");
  else
    ImGui::Text("%s recipe", recipe_name(s.model.recipe).c_str());
  tip(s.model.description.c_str());
  ImGui::SameLine();
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("| %s", describe_model_config(s.model.config).c_str());
  ImGui::PopTextWrapPos();
  Command c{Cmd::kSetTrain};
  c.train = s.train;
  Recipe& r = c.train.recipe;
  PoolConfig& p = r.pool_config;
  bool changed = false;
  int which = r.pool ? 1 : 0;
  const std::string ref = "reference (" + std::to_string(s.model.config.rollout_steps) +
                          " steps from fresh noisy digits)";
  const char* names[] = {ref.c_str(), "pool (persistence and repair)"};
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 5);
  if (ImGui::Combo("recipe", &which, names, 2)) {
    r.pool = which == 1;
    changed = true;
  }
  tip("How the next run trains (from its start): the reference recipe, or a sample pool whose "
      "states continue, with a horizon range and damage, so the model persists and repairs. "
      "Saved checkpoints record it.");
  if (r.pool && ImGui::TreeNode("pool settings")) {
    ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.5f - ImGui::GetFontSize() * 5.5f);
    changed |= ImGui::InputInt("pool size", &p.pool_size, 16, 64);
    tip("States kept in the pool (at least the batch).");
    ImGui::SameLine();
    changed |= ImGui::InputInt("replace", &p.replace);
    tip("Per batch, the worst samples start over from fresh noisy digits.");
    changed |= ImGui::InputInt("horizon min", &p.horizon_min);
    tip("The loss is taken after a horizon drawn uniformly from min..max each step.");
    ImGui::SameLine();
    changed |= ImGui::InputInt("horizon max", &p.horizon_max);
    changed |= ImGui::InputInt("damage", &p.damage);
    tip("Per batch, the best continuing samples are damaged first (0: none).");
    ImGui::SameLine();
    changed |= ImGui::InputInt("radius", &p.damage_radius);
    tip("Damage disc radius in cells.");
    int mode = int(p.damage_mode);
    if (ImGui::Combo("damage kind", &mode, kDamageModes, 4)) {
      p.damage_mode = DamageMode(mode);
      changed = true;
    }
    tip("erase: discs zeroed; noise: discs of noise; mixed: either; brushes: the studio's erase "
        "discs and strokes and noise discs.");
    ImGui::PopItemWidth();
    ImGui::TreePop();
  }
  if (r.pool) {
    try {
      p.validate(s.train.batch);
      ImGui::PushTextWrapPos(0);
      ImGui::TextDisabled("%s", p.describe().c_str());
      ImGui::PopTextWrapPos();
    } catch (const std::exception& e) {
      ImGui::PushTextWrapPos(0);
      ImGui::TextColored(colors::kBad, "%s", e.what());
      ImGui::PopTextWrapPos();
    }
  }
  const bool active = s.train_status.phase == TrainPhase::kRunning ||
                      s.train_status.phase == TrainPhase::kPaused;
  if (active && !s.train_status.recipe.empty() && s.train_status.recipe != r.name())
    ImGui::TextColored(colors::kWarn, "this run trains with the %s recipe; the new one applies "
                                      "at the next start",
                       recipe_name(s.train_status.recipe).c_str());
  if (changed) out.push(c);
}

void draw_run_overlays(const StudioState& s, Commands& out) {
  for (size_t i = 0; i < s.overlays.size(); ++i) {
    ImGui::PushID(int(i));
    ImGui::ColorButton("##c", overlay_color(i), ImGuiColorEditFlags_NoTooltip,
                       ImVec2(ImGui::GetFontSize(), ImGui::GetFontSize()));
    ImGui::SameLine();
    if (ImGui::SmallButton("x")) {
      Command c{Cmd::kOverlayRemove};
      c.n = int(i);
      out.push(c);
    }
    tip("Remove this run from the plot.");
    ImGui::SameLine();
    ImGui::TextColored(overlay_color(i), "%s", s.overlays[i].label.c_str());
    tip((s.overlays[i].path + "\n" + std::to_string(s.overlays[i].points.size()) + " steps")
            .c_str());
    ImGui::PopID();
  }
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.6f);
  if (ImGui::BeginCombo("##overlay", "Compare with an earlier run...")) {
    if (s.recent_runs.empty()) ImGui::TextDisabled("(no recent runs yet)");
    for (const RecentRun& r : s.recent_runs) {
      const std::string item =
          r.label + "   " + std::filesystem::path(r.path).filename().string();
      if (ImGui::Selectable(item.c_str())) out.path(Cmd::kOverlayAdd, r.path);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", r.path.c_str());
    }
    ImGui::Separator();
    if (ImGui::Selectable("Open a log file...")) out.push(browse_command(BrowsePurpose::kOpenRunLog));
    ImGui::EndCombo();
  }
  tip("Draw an earlier run's loss (moving average) over this one: the recent runs, or any "
      "training log (.jsonl) written by the studio, rrcnn train or the Python Trainer.");
  if (!s.overlays.empty()) {
    ImGui::SameLine();
    if (ImGui::Button("Clear")) {
      Command c{Cmd::kOverlayRemove};
      c.n = -1;
      out.push(c);
    }
    tip("Remove every overlaid run.");
  }
}

}  // namespace rrcnn
