// The model switcher: the models shipped in the assets folder (shipped_models.h), one click to
// load one (asking first when trained weights are not saved), and which model is loaded with
// its one-line description. At the top of the Controls window and in the Model menu.
#include <string>

#include "core/config_json.h"
#include "gui/panels/panels.h"
#include "gui/panels/theme.h"
#include "gui/panels/widgets.h"

namespace rrcnn {
namespace {

Command switch_to(const ShippedModel& m) {
  Command c{Cmd::kSwitchModel};
  c.path = m.path;
  return c;
}

std::string model_label(const ShippedModel& m) {
  return m.name + "  (" + recipe_name(m.recipe) + " recipe, " + std::to_string(m.trained_steps) + " steps)";
}

}  // namespace

void draw_model_section(const StudioState& s, Commands& out) {
  if (!section("Model")) return;
  for (const ShippedModel& m : s.models) {
    const bool loaded = s.model.source == m.path;
    ImGui::PushID(m.path.c_str());
    if (ImGui::RadioButton(model_label(m).c_str(), loaded) && !loaded) out.push(switch_to(m));
    ImGui::PopID();
    tip((m.description + "\n" + m.path).c_str());
  }
  if (s.models.empty()) ImGui::TextDisabled("(no models in the assets folder)");
  const bool shipped = [&] {
    for (const ShippedModel& m : s.models)
      if (s.model.source == m.path) return true;
    return false;
  }();
  if (!shipped) {
    ImGui::RadioButton(("this session: " + s.model.name + "  (" + recipe_name(s.model.recipe) +
                        " recipe)").c_str(),
                       true);
    tip(s.model.source.c_str());
  }
  // Its architecture, whatever it is (a config of your own included).
  ImGui::TextDisabled("%s", describe_model_config(s.model.config).c_str());
  if (ImGui::Button("New model...")) out.push(Cmd::kNewModelDialog);
  tip("Design an architecture (channels, perception, hidden layers, dropout, step size, "
      "horizon) and see its size and training speed here before you create it.");
  ImGui::PushTextWrapPos(0);
  ImGui::TextColored(colors::kDim, "%s", s.model.description.c_str());
  ImGui::PopTextWrapPos();
}

void draw_models_menu(const StudioState& s, Commands& out) {
  if (!ImGui::BeginMenu("Model")) return;
  for (const ShippedModel& m : s.models) {
    const bool loaded = s.model.source == m.path;
    if (ImGui::MenuItem(model_label(m).c_str(), nullptr, loaded) && !loaded) out.push(switch_to(m));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", m.description.c_str());
  }
  if (s.models.empty()) ImGui::MenuItem("(no models in the assets folder)", nullptr, false, false);
  ImGui::Separator();
  if (ImGui::MenuItem("New model...")) out.push(Cmd::kNewModelDialog);
  draw_ab_menu(s, out);
  ImGui::EndMenu();
}

}  // namespace rrcnn
