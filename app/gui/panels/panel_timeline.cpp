// The timeline under the live cards: a scrub slider over the kept steps (Left/Right, Home/End),
// Fork here / Keep branch / Keep original, what is kept and what it costs, the error curves and
// the dropout-uncertainty run (K, Run, progress, Cancel, the MSE of the K-mean next to a single
// rollout's). Also the View settings' timeline section and the inspector's change map.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "core/metrics.h"
#include "gui/panels/theme.h"
#include "gui/panels/timeline_panels.h"
#include "gui/panels/widgets.h"
#include "gui/rendering/colormap.h"

namespace rrcnn {
namespace {

ImTextureID tex_id(uint32_t t) {
  return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(t));
}

double mb(size_t bytes) {
  return double(bytes) / double(1 << 20);
}

Command seek(int64_t step) {
  Command c{Cmd::kTimelineSeek};
  c.n = int(step);
  return c;
}

float curves_height(const StudioState& s) {
  return s.tl.view.show_curves ? std::round(ImGui::GetFontSize() * 9.5f) : 0.0f;
}

// The log colour scale of the change map, drawn as a bar with its ends labelled.
void change_legend(int colormap, float width) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetTextLineHeight() * 0.7f;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const int n = 48;
  for (int i = 0; i < n; ++i) {
    const Rgb8 a = colormap_at(ColorMap(colormap), 0.5f + 0.5f * float(i) / n);
    const Rgb8 b = colormap_at(ColorMap(colormap), 0.5f + 0.5f * float(i + 1) / n);
    dl->AddRectFilledMultiColor(ImVec2(p.x + width * i / n, p.y), ImVec2(p.x + width * (i + 1) / n, p.y + h),
                                IM_COL32(a.r, a.g, a.b, 255), IM_COL32(b.r, b.g, b.b, 255),
                                IM_COL32(b.r, b.g, b.b, 255), IM_COL32(a.r, a.g, a.b, 255));
  }
  ImGui::Dummy(ImVec2(width, h));
  char lo[32], hi[32];
  std::snprintf(lo, sizeof lo, "%g or less", double(kChangeLo));
  std::snprintf(hi, sizeof hi, "%g+", double(kChangeHi));
  ImGui::TextDisabled("%s", lo);
  ImGui::SameLine(width * 0.5f - ImGui::CalcTextSize("log scale").x * 0.5f + ImGui::GetStyle().WindowPadding.x);
  ImGui::TextDisabled("log scale");
  ImGui::SameLine(width - ImGui::CalcTextSize(hi).x + ImGui::GetStyle().WindowPadding.x);
  ImGui::TextDisabled("%s", hi);
}

void draw_mc_row(const StudioState& s, Commands& out) {
  const TimelineUi& tl = s.tl;
  ImGui::TextDisabled("Uncertainty");
  ImGui::SameLine();
  int k = tl.view.mc_k;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
  if (ImGui::SliderInt("##mck", &k, 2, 32, "K = %d")) {
    Command c{Cmd::kSetTimeline};
    c.timeline = tl.view;
    c.timeline.mc_k = k;
    out.push(c);
  }
  tip("Dropout rollouts per run: K copies of the digits on screen, each with its own dropout "
      "masks, run as one batch in the background (copy 0 is the rollout you see).");
  ImGui::SameLine();
  if (tl.mc.busy) {
    char prog[64];
    std::snprintf(prog, sizeof prog, "K=%d: step %d / %d", tl.mc.k, tl.mc.done, tl.mc.total);
    ImGui::ProgressBar(tl.mc.total > 0 ? float(tl.mc.done) / float(tl.mc.total) : 0.0f,
                       ImVec2(ImGui::GetFontSize() * 11, 0), prog);
    ImGui::SameLine();
    if (ImGui::SmallButton("Cancel")) out.push(Cmd::kMcCancel);
    tip("Stop the dropout rollouts (the last finished result stays).");
  } else {
    ImGui::BeginDisabled(s.noise.dropout <= 0.0f);
    if (ImGui::SmallButton("Run")) {
      Command c{Cmd::kMcStart};
      c.n = tl.view.mc_k;
      out.push(c);
    }
    ImGui::EndDisabled();
    tip(s.noise.dropout <= 0.0f ? "Dropout is 0: every rollout would be the same. Set Dropout in Noise."
                                : "Run K dropout rollouts of these digits over the rollout length: mean and "
                                  "std images (4th tile), the mean \xc2\xb1 std band on the curves.");
  }
  if (!tl.mc.error.empty()) {
    ImGui::SameLine();
    ImGui::TextColored(colors::kBad, "%s", tl.mc.error.c_str());
  } else if (tl.mc_ready && tl.mc_stale) {
    ImGui::SameLine();
    ImGui::TextDisabled("(the last result is of other digits: Run again)");
  } else if (tl.mc_ready && !tl.mc_result.has_target) {
    ImGui::SameLine();
    ImGui::TextDisabled("K=%d: no target, spread only", tl.mc_result.k);
  }
}

}  // namespace

float timeline_footer_height(const StudioState& s) {
  const float row = ImGui::GetFrameHeightWithSpacing();
  return 3 * row + curves_height(s) + ImGui::GetStyle().ItemSpacing.y;
}

Command timeline_seek_command(const StudioState& s, int which) {
  const TimelineInfo& i = s.tl.info;
  if (!i.enabled || i.empty) return seek(-1);
  const int64_t cur = s.tl.scrubbed() ? s.tl.shown : i.last;
  int64_t to = cur;
  if (which == -2) to = i.first;
  if (which == 2) to = i.last;
  if (which == -1) to = std::max(cur - 1, i.first);
  if (which == 1) to = std::min(cur + 1, i.last);
  return seek(to == i.last ? -1 : to);
}

void draw_timeline_footer(const StudioState& s, UiScratch& ui, Commands& out, float width) {
  const TimelineUi& tl = s.tl;
  const TimelineInfo& i = tl.info;
  ImGui::PushID("timeline");
  const float bw = ImGui::GetFrameHeight() * 1.2f;
  // Row 1: the scrub slider with its buttons, Fork here / Keep.
  ImGui::BeginDisabled(!i.enabled || i.empty);
  if (ImGui::Button("|<", ImVec2(bw, 0))) out.push(timeline_seek_command(s, -2));
  tip("The first kept step (Home).");
  ImGui::SameLine(0, 2);
  if (ImGui::Button("<", ImVec2(bw, 0))) out.push(timeline_seek_command(s, -1));
  tip("One step back (Left). Pauses the live view.");
  ImGui::SameLine(0, 2);
  const ImGuiStyle& st = ImGui::GetStyle();
  auto button_w = [&](const char* t) { return ImGui::CalcTextSize(t).x + 2 * st.FramePadding.x + st.ItemSpacing.x; };
  const float right_w = button_w("Fork here") +
                        (i.forked ? button_w("Keep branch") + button_w("Keep original") : 0.0f);
  ImGui::SetNextItemWidth(std::max(60.0f, width - 4 * (bw + 2) - right_w - st.ItemSpacing.x));
  int step = int(tl.shown_step);
  const int lo = int(i.first), hi = int(std::max(i.last, i.first));
  char fmt[96];
  if (tl.scrubbed())
    std::snprintf(fmt, sizeof fmt, "step %%d of %lld%s", (long long)i.last,
                  tl.shown_has_state ? "" : "  (image only)");
  else
    std::snprintf(fmt, sizeof fmt, "step %%d (newest)");
  if (ImGui::SliderInt("##scrub", &step, lo, hi, fmt, ImGuiSliderFlags_AlwaysClamp))
    out.push(seek(step >= i.last ? -1 : step));
  tip("Scrub through the kept steps of this rollout: the live cards, the error tile and the "
      "inspector show the step (Left/Right, Home/End). Play resumes from the newest step.");
  ImGui::SameLine(0, 2);
  if (ImGui::Button(">", ImVec2(bw, 0))) out.push(timeline_seek_command(s, 1));
  tip("One step forward (Right).");
  ImGui::SameLine(0, 2);
  if (ImGui::Button(">|", ImVec2(bw, 0))) out.push(timeline_seek_command(s, 2));
  tip("The newest step (End).");
  ImGui::EndDisabled();
  ImGui::SameLine();
  const bool can_fork = i.enabled && !i.empty && tl.shown_has_state;
  ImGui::BeginDisabled(!can_fork);
  if (ImGui::Button("Fork here")) {
    Command c{Cmd::kTimelineFork};
    c.n = int(tl.shown_step);
    out.push(c);
  }
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("%s", can_fork ? "Restart the rollout from the step shown (F); painting on an "
                                       "older step forks too. The original stays beside the branch "
                                       "(4th tile, dashed curve) until you keep one."
                                     : "Forking needs all channels of the step shown; only the newest "
                                       "steps keep them (View > Timeline: full steps).");
  if (i.forked) {
    ImGui::SameLine();
    if (ImGui::Button("Keep branch")) {
      Command c{Cmd::kTimelineKeep};
      c.flag = false;
      out.push(c);
    }
    tip("Drop the original rollout; the branch goes on.");
    ImGui::SameLine();
    if (ImGui::Button("Keep original")) {
      Command c{Cmd::kTimelineKeep};
      c.flag = true;
      out.push(c);
    }
    tip("Drop the branch; the original resumes from its newest step.");
  }

  // Row 2: what is kept, what it costs; the fork's comparison.
  if (!i.enabled) {
    ImGui::TextDisabled("Timeline off: the past of the rollout is not kept (View > Timeline).");
  } else if (!i.empty) {
    ImGui::TextDisabled("kept: steps %lld..%lld (all channels %lld..%lld), %.0f MB", (long long)i.first,
                        (long long)i.last, (long long)i.first_full, (long long)i.last, mb(i.bytes));
    if (i.forked) {
      ImGui::SameLine();
      double bm = 0, om = 0;
      for (double v : s.snap.mse) bm += v / std::max<size_t>(s.snap.mse.size(), 1);
      for (double v : tl.original_mse) om += v / std::max<size_t>(tl.original_mse.size(), 1);
      if (s.snap.has_target && !tl.original_mse.empty())
        ImGui::TextColored(colors::kWarn,
                           "|  fork at %lld: branch MSE %.4f, original %.4f", (long long)i.fork_step, bm, om);
      else
        ImGui::TextColored(colors::kWarn, "|  fork at step %lld (original up to step %lld)",
                           (long long)i.fork_step, (long long)i.original_last);
    }
  }
  // Row 3: the curves' switches and the dropout run.
  bool show = tl.view.show_curves, psnr = tl.view.psnr;
  Command c{Cmd::kSetTimeline};
  c.timeline = tl.view;
  if (ImGui::Checkbox("Error curves", &show)) {
    c.timeline.show_curves = show;
    out.push(c);
  }
  tip("MSE against the clean target at every step, per digit and the batch mean.");
  ImGui::SameLine();
  if (ImGui::Checkbox("PSNR", &psnr)) {
    c.timeline.psnr = psnr;
    out.push(c);
  }
  tip("Plot PSNR (dB, higher is better) instead of MSE (log scale, lower is better).");
  ImGui::SameLine();
  ImGui::TextDisabled("|");
  ImGui::SameLine();
  draw_mc_row(s, out);
  if (tl.view.show_curves) draw_error_curves(s, ui, out, ImVec2(width, curves_height(s)));
  ImGui::PopID();
}

void draw_timeline_settings(const StudioState& s, Commands& out) {
  const TimelineUi& tl = s.tl;
  Command c{Cmd::kSetTimeline};
  c.timeline = tl.view;
  bool on = tl.view.settings.enabled;
  if (ImGui::Checkbox("Timeline", &on)) {
    c.timeline.settings.enabled = on;
    out.push(c);
  }
  tip("Keep the past of the live rollout: the image of every step, all channels of the newest "
      "steps, the error curves and the change map. Off, the live view runs exactly as without it.");
  if (!on) return;
  ImGui::SameLine();
  const HistoryShape shape{std::max(s.snap.batch, 1), s.snap.height * s.snap.width,
                           std::max(s.snap.channels, 1)};
  const int def = default_full_steps(shape);
  int n = tl.view.settings.full_steps < 0 ? def : tl.view.settings.full_steps;
  char fmt[96];
  std::snprintf(fmt, sizeof fmt, "%%d full steps, %.0f MB", mb(timeline_bytes(shape, n)));
  ImGui::SetNextItemWidth(-1);
  if (ImGui::SliderInt("##fullsteps", &n, 0, 2048, fmt, ImGuiSliderFlags_Logarithmic)) {
    c.timeline.settings.full_steps = n;
    out.push(c);
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Steps whose full state (all %d channels) is kept: they can be inspected "
                      "channel by channel and forked from. %.2f MB a step for %d digits; the "
                      "default (%d) stays within 256 MB with the per-step images and change maps.",
                      shape.channels, mb(shape.state_bytes()), shape.batch, def);
}

float timeline_inspector_height(const StudioState& s) {
  if (!s.tl.info.enabled) return 0;
  return ImGui::GetTextLineHeightWithSpacing() * 2 + std::round(ImGui::GetFontSize() * 5.5f);
}

void draw_timeline_inspector(const StudioState& s, const UiScratch& ui, float width) {
  const TimelineUi& tl = s.tl;
  if (!tl.info.enabled) return;
  const int B = s.snap.batch, H = s.snap.height, W = s.snap.width;
  const int sel = std::clamp(s.view.selected, 0, std::max(B - 1, 0));
  if (tl.scrubbed() && !tl.shown_has_state)
    ImGui::TextColored(colors::kWarn, "step %lld: hidden channels not kept (only the image)",
                       (long long)tl.shown_step);
  else
    ImGui::TextDisabled("change at step %lld: |s_t - s_(t-1)| summed over channels",
                        (long long)tl.shown_step);
  if (!tl.change_texture || B <= 0) {
    ImGui::TextDisabled("(not kept for this step)");
    return;
  }
  const float zoom = std::max(1.0f, std::floor(std::min(width * 0.35f, ImGui::GetFontSize() * 5.5f) / W));
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::Image(tex_id(tl.change_texture), ImVec2(W * zoom, H * zoom), ImVec2(float(sel) / B, 0),
               ImVec2(float(sel + 1) / B, 1));
  ImGui::SameLine();
  ImGui::BeginGroup();
  double total = 0, peak = 0;
  const size_t px = size_t(H) * W;
  for (size_t i = 0; i < px && (size_t(sel) * px + i) < tl.change.size(); ++i) {
    const double v = tl.change[size_t(sel) * px + i];
    total += v;
    peak = std::max(peak, v);
  }
  ImGui::Text("digit #%d: total %.3g, peak %.3g", sel, total, peak);
  const LiveGeometry& g = ui.live;
  if (g.hover_sample >= 0 && g.hover_x >= 0 && size_t(g.hover_sample) * px + g.hover_y * W + g.hover_x < tl.change.size()) {
    ImGui::Text("cell (%d, %d) of #%d: change %.3g", g.hover_x, g.hover_y, g.hover_sample,
                double(tl.change[size_t(g.hover_sample) * px + size_t(g.hover_y) * W + g.hover_x]));
  }
  change_legend(s.view.colormap, std::min(width * 0.55f, 260.0f));
  ImGui::EndGroup();
  (void)p0;
}

}  // namespace rrcnn
