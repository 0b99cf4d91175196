// A/B's controls: the "A/B" section of the Controls window (load a shipped model or any
// checkpoint as B, snapshot the weights being trained as B, swap, off, which tiles show), the
// Model menu's "Compare as B" entries, and the Live window's one line on what A and B are, what
// differs between them and what they share.
#include <cstdio>
#include <string>
#include <vector>

#include "core/metrics.h"
#include "gui/panels/panels.h"
#include "gui/panels/theme.h"
#include "gui/panels/widgets.h"

namespace rrcnn {
namespace {

Command ab_cmd(AbAction a, const std::string& path = "", bool flag = false) {
  Command c{Cmd::kAb};
  c.n = int(a);
  c.path = path;
  c.flag = flag;
  return c;
}

double mean_psnr(const std::vector<double>& mse) {
  double sum = 0;
  for (double m : mse) sum += psnr_from_mse(m);
  return mse.empty() ? 0 : sum / double(mse.size());
}

}  // namespace

void draw_ab_section(const StudioState& s, Commands& out) {
  if (!section("A/B: compare two models")) return;
  const AbUi& ab = s.ab;
  ImGui::PushTextWrapPos(0);
  if (!ab.on())
    ImGui::TextColored(colors::kDim,
                       "Run a second model (B) beside this one on the same noisy digits, noise "
                       "and dropout masks: B's tile, A - B and both error curves.");
  ImGui::PopTextWrapPos();
  ImGui::TextUnformatted("B from:");
  for (const ShippedModel& m : s.models) {
    ImGui::SameLine();
    ImGui::PushID(m.path.c_str());
    if (ImGui::SmallButton(m.name.c_str())) out.push(ab_cmd(AbAction::kLoad, m.path));
    ImGui::PopID();
    tip(("Load " + m.path + " as B (A stays as it is).").c_str());
  }
  ImGui::SameLine();
  if (ImGui::SmallButton("file...")) out.push(browse_command(BrowsePurpose::kLoadB));
  tip("Choose any checkpoint as B (another size is fine; another grid cannot share the digits).");
  if (ImGui::Button("Snapshot A as B")) out.push(ab_cmd(AbAction::kSnapshot));
  tip("B becomes a frozen copy of the weights as they are now; training (if running) goes on "
      "with A, so you see what the last steps changed.");
  if (ab.on()) {
    ImGui::SameLine();
    if (ImGui::Button("Swap A and B")) out.push(ab_cmd(AbAction::kSwap));
    tip("B becomes the session's model (train it, save it) and A the comparison; both restart "
        "on the same digits.");
    ImGui::SameLine();
    if (ImGui::Button("A/B off")) out.push(ab_cmd(AbAction::kOff));
    bool show_b = ab.state.show_b, show_diff = ab.state.show_diff;
    if (ImGui::Checkbox("B tile", &show_b)) out.push(ab_cmd(AbAction::kShowB, "", show_b));
    ImGui::SameLine();
    if (ImGui::Checkbox("A - B tile", &show_diff))
      out.push(ab_cmd(AbAction::kShowDiff, "", show_diff));
    tip("Orange where A is brighter, blue where B is; the range is the error map's (View).");
    ImGui::PushTextWrapPos(0);
    ImGui::Text("A: %s", ab.a_name.c_str());
    ImGui::Text("B: %s", ab.b_name.c_str());
    ImGui::TextColored(colors::kDim, "%s", ab.b_description.c_str());
    ImGui::PopTextWrapPos();
  }
}

void draw_ab_menu(const StudioState& s, Commands& out) {
  if (!ImGui::BeginMenu("Compare as B")) return;
  for (const ShippedModel& m : s.models)
    if (ImGui::MenuItem(m.name.c_str())) out.push(ab_cmd(AbAction::kLoad, m.path));
  if (ImGui::MenuItem("Checkpoint file...")) out.push(browse_command(BrowsePurpose::kLoadB));
  if (ImGui::MenuItem("Snapshot of A")) out.push(ab_cmd(AbAction::kSnapshot));
  if (ImGui::MenuItem("Swap A and B", nullptr, false, s.ab.on())) out.push(ab_cmd(AbAction::kSwap));
  if (ImGui::MenuItem("A/B off", nullptr, false, s.ab.on())) out.push(ab_cmd(AbAction::kOff));
  ImGui::EndMenu();
}

void draw_ab_line(const StudioState& s) {
  const AbUi& ab = s.ab;
  char buf[160];
  ImGui::TextColored(colors::kAccent, "A/B");
  ImGui::SameLine();
  if (s.snap.has_target && !ab.mse.empty() && s.snap.mse.size() == ab.mse.size()) {
    std::snprintf(buf, sizeof buf, "A %s %.1f dB  |  B %s %.1f dB", ab.a_name.c_str(),
                  mean_psnr(s.snap.mse), ab.b_name.c_str(), mean_psnr(ab.mse));
  } else {
    std::snprintf(buf, sizeof buf, "A %s  |  B %s", ab.a_name.c_str(), ab.b_name.c_str());
  }
  ImGui::TextUnformatted(buf);
  tip(("B: " + ab.b_description).c_str());
  // What differs, in one line (the shared part in the tooltip).
  const std::string differs =
      ab.differs.empty() ? "same config, other weights" : "B differs: " + ab.differs;
  ImGui::PushTextWrapPos(0);  // never cut: a narrow window wraps it
  ImGui::TextColored(colors::kDim, "%s  |  shared: digits, noise, dropout masks, strokes",
                     differs.c_str());
  ImGui::PopTextWrapPos();
  tip(("Shared: " + ab.shared + ".").c_str());
}

}  // namespace rrcnn
