// The Live window: one card per digit with noisy input | live image channel | clean target |
// inspect tile side by side at the largest integer zoom that fits (crisp nearest-neighbour),
// per-digit MSE/PSNR, and the brush on the live tiles (left button: current mode, right:
// erase, wheel: radius).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "core/metrics.h"
#include "gui/panels/panels.h"
#include "gui/panels/theme.h"
#include "gui/panels/tile_layout.h"
#include "gui/panels/timeline_panels.h"
#include "gui/panels/widgets.h"

namespace rrcnn {
namespace {

ImTextureID tex_id(GLuint t) {
  return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(t));
}

const char* mode_name(BrushMode m) {
  return m == BrushMode::kErase ? "erase" : m == BrushMode::kNoise ? "noise" : "draw";
}

ImVec4 psnr_color(double psnr) {
  if (psnr >= 18) return colors::kGood;
  if (psnr >= 12) return colors::kWarn;
  return colors::kBad;
}

const char* inspect_caption(const StudioState& s, char* buf, size_t cap) {
  if (s.view.inspect == InspectView::kError) return "error";
  if (s.view.inspect == InspectView::kChange) return "change";
  if (s.view.inspect == InspectView::kMcMean) return s.tl.mc_ready && !s.tl.mc_stale ? "dropout mean" : "mean: Run";
  if (s.view.inspect == InspectView::kMcStd) return s.tl.mc_ready && !s.tl.mc_stale ? "dropout std" : "std: Run";
  if (s.view.inspect == InspectView::kOriginal) return s.tl.info.forked ? "original" : "no fork";
  if (s.view.channel == s.model.config.channels - 1) return "image ch";
  std::snprintf(buf, cap, "channel %d", s.view.channel);
  return buf;
}

// The tiles of a card, left to right: noisy | live (A) | [B | A - B] | target | [inspect].
enum TileKind { kNoisyTile, kLiveTile, kTargetTile, kInspectTile, kBTile, kDiffTile };
int card_tiles(const StudioState& s, const CellTextures& tex, TileKind kinds[6], GLuint ids[6]) {
  int n = 0;
  auto add = [&](TileKind k, GLuint id) {
    kinds[n] = k;
    ids[n++] = id;
  };
  add(kNoisyTile, tex.noisy);
  add(kLiveTile, tex.live);
  if (s.ab.on() && s.ab.state.show_b && s.ab.b_texture) add(kBTile, s.ab.b_texture);
  if (s.ab.on() && s.ab.state.show_diff && s.ab.diff_texture) add(kDiffTile, s.ab.diff_texture);
  add(kTargetTile, tex.target);
  if (s.view.inspect != InspectView::kNone) add(kInspectTile, tex.inspect);
  return n;
}

// Brush handling on one live tile (an invisible button covering it).
void live_tile_input(const StudioState& s, int b, ImVec2 p0, float zoom, UiScratch& ui,
                     Commands& out) {
  const int w = s.snap.width, h = s.snap.height;
  ImGui::PushID(b);
  ImGui::InvisibleButton("live", ImVec2(w * zoom, h * zoom),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  ImGui::PopID();
  ImVec2 m = ImGui::GetIO().MousePos;
  bool hovered = ImGui::IsItemHovered();
  if (ui.script_hover_sample == b) {
    m = ImVec2(p0.x + ui.script_hover_x * zoom, p0.y + ui.script_hover_y * zoom);
    hovered = true;
  }
  CellPoint cell;
  const bool inside = screen_to_cell(m.x, m.y, p0.x, p0.y, zoom, w, h, &cell);
  if (hovered && inside) {
    cell_index(cell, w, h, &ui.live.hover_x, &ui.live.hover_y);
    ui.live.hover_sample = b;
    ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    const float wheel = ImGui::GetIO().MouseWheel;
    if (wheel != 0) {
      Command c{Cmd::kSetBrush};
      c.brush = s.brush;
      c.brush.radius = wheel_radius(s.brush.radius, wheel);
      out.push(c);
    }
    ui.live.brush_visible = true;
    ui.live.brush_center = m;
    ui.live.brush_radius_px = s.brush.radius * zoom;
  }
  BrushSettings bs = s.brush;
  if (ImGui::IsMouseDown(ImGuiMouseButton_Right)) bs.mode = BrushMode::kErase;
  Command c{Cmd::kBrush};
  if (ImGui::IsItemActivated()) {
    c.stroke = ui.stroke.press(b, cell, bs);
    out.push(c);
  } else if (ImGui::IsItemActive() && ui.stroke.active() && ui.stroke.sample() == b) {
    c.stroke = ui.stroke.drag(cell, bs);
    out.push(c);
  } else if (ui.stroke.active() && ui.stroke.sample() == b && !ImGui::IsItemActive()) {
    ui.stroke.release();
  }
}

// One line per card when it is wide enough: "#b  digit d  alpha" left, "MSE  PSNR" right;
// narrow cards put the metrics on a second line under the tiles.
float header_width() {
  return ImGui::CalcTextSize("#00   digit 0   \xce\xb1 0.00      MSE 0.0000   PSNR 00.0 dB").x;
}

// Sample b's image channel holds ink (the user drew on the blank canvas).
bool has_ink(const SimSnapshot& s, int b) {
  const size_t cells = size_t(s.height) * size_t(s.width), c = size_t(s.channels);
  if (c == 0 || (size_t(b) + 1) * cells * c > s.state.size()) return false;
  for (size_t i = 0; i < cells; ++i)
    if (s.state[(size_t(b) * cells + i) * c + c - 1] > 0.1f) return true;
  return false;
}

// A dark ring under a light one: visible on black cells and on white ones.
void draw_brush_outline(const LiveGeometry& g) {
  if (!g.brush_visible) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const int segments = std::clamp(int(g.brush_radius_px), 24, 96);
  dl->AddCircle(g.brush_center, g.brush_radius_px, IM_COL32(0, 0, 0, 230), segments, 4.5f);
  dl->AddCircle(g.brush_center, g.brush_radius_px, IM_COL32(255, 255, 255, 235), segments, 1.5f);
}

void draw_card(const StudioState& s, const CellTextures& tex, const TileLayout& L, bool one_line,
               int b, ImVec2 origin, UiScratch& ui, Commands& out) {
  const ImVec2 card(origin.x + L.card_x(b), origin.y + L.card_y(b));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float line = ImGui::GetTextLineHeight();
  const bool selected = s.view.selected == b;
  if (ui.script_hover_sample == b ||
      (ImGui::IsWindowHovered() &&
       ImGui::IsMouseHoveringRect(card, ImVec2(card.x + L.card_w, card.y + L.card_h))))
    ui.live.hover_card = b;
  char head[96];
  const int label = b < int(s.snap.labels.size()) ? s.snap.labels[size_t(b)] : -1;
  const float alpha = b < int(s.snap.alphas.size()) ? s.snap.alphas[size_t(b)] : 0.0f;
  if (label >= 0)
    std::snprintf(head, sizeof head, "#%d   digit %d   \xce\xb1 %.2f", b, label, alpha);
  else if (s.snap.has_target)
    std::snprintf(head, sizeof head, "#%d   \xce\xb1 %.2f", b, alpha);
  else
    std::snprintf(head, sizeof head, "#%d   your drawing", b);
  dl->AddText(card, ImGui::GetColorU32(selected ? colors::kAccent : colors::kDim), head);

  // Metrics: right-aligned on the header line, or under the tiles.
  const float ty = card.y + line + 4;
  char mse_text[48], psnr_text[48];
  ImVec4 psnr_col = colors::kDim;
  if (b < int(s.snap.diverged.size()) && s.snap.diverged[size_t(b)]) {
    // Past this the tile is static (clipped infinities); say so instead of a meaningless PSNR.
    std::snprintf(mse_text, sizeof mse_text, "diverged");
    std::snprintf(psnr_text, sizeof psnr_text, "press R");
    psnr_col = colors::kBad;
  } else if (s.ab.on() && s.snap.has_target && b < int(s.snap.mse.size()) &&
             b < int(s.ab.mse.size())) {
    // A/B: both PSNRs, A's coloured by its quality, B's after it.
    const double pa = psnr_from_mse(s.snap.mse[size_t(b)]), pb = psnr_from_mse(s.ab.mse[size_t(b)]);
    std::snprintf(mse_text, sizeof mse_text, "A %.1f dB", pa);
    std::snprintf(psnr_text, sizeof psnr_text, b < int(s.ab.diverged.size()) && s.ab.diverged[size_t(b)]
                                                   ? "B diverged" : "B %.1f dB", pb);
    psnr_col = psnr_color(pb);
  } else if (s.snap.has_target && b < int(s.snap.mse.size())) {
    const double mse = s.snap.mse[size_t(b)];
    std::snprintf(mse_text, sizeof mse_text, "MSE %.4f", mse);
    std::snprintf(psnr_text, sizeof psnr_text, "PSNR %.1f dB", psnr_from_mse(mse));
    psnr_col = psnr_color(psnr_from_mse(mse));
  } else {
    std::snprintf(mse_text, sizeof mse_text, "no target");
    std::snprintf(psnr_text, sizeof psnr_text, "(Add noise)");
  }
  const float psnr_w = ImGui::CalcTextSize(psnr_text).x, gap = ImGui::GetFontSize() * 0.8f;
  const float mse_w = ImGui::CalcTextSize(mse_text).x;
  const ImVec2 mp = one_line ? ImVec2(card.x + L.card_w - psnr_w - gap - mse_w, card.y)
                             : ImVec2(card.x, ty + L.tile_h + 5);
  dl->AddText(mp, ImGui::GetColorU32(colors::kDim), mse_text);
  dl->AddText(ImVec2(mp.x + mse_w + gap, mp.y), ImGui::GetColorU32(psnr_col), psnr_text);

  const ImVec2 uv0(float(b) / float(tex.batch), 0.0f), uv1(float(b + 1) / float(tex.batch), 1.0f);
  TileKind kinds[6];
  GLuint tiles[6];
  const int count = card_tiles(s, tex, kinds, tiles);
  for (int t = 0; t < count; ++t) {
    const bool live_tile = kinds[t] == kLiveTile;
    const ImVec2 p0(std::floor(card.x + L.tile_x(t)), std::floor(ty));
    const ImVec2 p1(p0.x + L.tile_w, p0.y + L.tile_h);
    ImGui::SetCursorScreenPos(p0);
    if (live_tile) {
      live_tile_input(s, b, p0, float(L.zoom), ui, out);
      if (b < int(ui.live.live_origin.size())) ui.live.live_origin[size_t(b)] = p0;
    } else {
      ImGui::PushID(b * 4 + t);
      if (ImGui::InvisibleButton("tile", ImVec2(L.tile_w, L.tile_h))) {
        Command c{Cmd::kSetView};
        c.view = s.view;
        c.view.selected = b;
        out.push(c);
      }
      ImGui::PopID();
      tip("Click to show this digit's channels in the inspector.");
    }
    dl->AddImage(tex_id(tiles[t]), p0, p1, uv0, uv1);
    if (live_tile && !s.snap.has_target && !has_ink(s.snap, b)) {
      // An empty canvas says what it is for.
      const char* hint[] = {"draw a digit here", "(left drag)"};
      const float lh = ImGui::GetTextLineHeight();
      for (int i = 0; i < 2; ++i) {
        const ImVec2 ts = ImGui::CalcTextSize(hint[i]);
        if (ts.x > L.tile_w - 4) continue;
        dl->AddText(ImVec2(p0.x + (L.tile_w - ts.x) / 2, p0.y + L.tile_h / 2 - lh + i * lh),
                    ImGui::GetColorU32(colors::kDim), hint[i]);
      }
    }
    dl->AddRect(ImVec2(p0.x - 1, p0.y - 1), ImVec2(p1.x + 1, p1.y + 1),
                ImGui::GetColorU32(live_tile ? ImVec4(0.35f, 0.42f, 0.52f, 1)
                                          : ImVec4(0.22f, 0.24f, 0.28f, 1)));
  }
  if (selected)
    dl->AddRect(ImVec2(card.x - 5, ty - 5), ImVec2(card.x + L.card_w + 5, ty + L.tile_h + 5),
                ImGui::GetColorU32(colors::kAccent), 4.0f, 0, 2.0f);
}

// Paused at the end of a rollout as long as a loaded model's training horizon: why it stopped
// (on the summary line, so the tiles never move), and the persistent model (if one is shipped)
// one click away.
bool horizon_note(const StudioState& s, Commands& out) {
  const int horizon = s.model.config.rollout_steps;
  if (s.model.fresh || s.pacing.playing || s.pacing.endless || s.pacing.loop ||
      !s.snap.has_target || s.snap.step < s.pacing.rollout_length ||
      s.pacing.rollout_length != horizon || recipe_runs_endless(s.model.recipe))
    return false;
  ImGui::SameLine();
  ImGui::TextColored(colors::kWarn, "|  stopped at its %d-step training horizon (?)", horizon);
  char why[400];
  std::snprintf(why, sizeof why,
                "%s was trained to clean digits within %d steps and is at its best there; past "
                "it the %s recipe drifts and digits blur or blow up.\nSpace replays the "
                "rollout; 'run on' (Controls) goes on regardless; a persistent model (pool "
                "recipe) holds its digits indefinitely.",
                s.model.name.c_str(), horizon, recipe_name(s.model.recipe).c_str());
  tip(why);
  for (const ShippedModel& m : s.models) {
    if (!recipe_runs_endless(m.recipe) || m.path == s.model.source) continue;
    const std::string label = "Try " + m.name + " (runs on)";
    ImGui::SameLine();
    if (ImGui::SmallButton(label.c_str())) {
      Command c{Cmd::kSwitchModel};
      c.path = m.path;
      out.push(c);
    }
    tip(m.description.c_str());
    break;
  }
  return true;
}

}  // namespace

void draw_live_panel(const StudioState& s, const CellTextures& tex, UiScratch& ui, Commands& out) {
  ui.live.valid = false;
  ui.live.hover_sample = -1;
  ui.live.brush_visible = false;
  ui.live.hover_card = -1;
  if (!ImGui::Begin("Live", nullptr, ImGuiWindowFlags_NoScrollWithMouse)) {
    ImGui::End();
    return;
  }
  const int batch = std::min(s.snap.batch, tex.batch);
  if (batch <= 0 || !tex.live) {
    ImGui::TextDisabled("starting...");
    ImGui::End();
    return;
  }
  // Summary line.
  double mean_psnr = 0;
  for (int b = 0; b < batch && s.snap.has_target; ++b)
    mean_psnr += psnr_from_mse(s.snap.mse[size_t(b)]);
  if (s.gif_recording) {
    // Recording: impossible to miss, with the count so far and how to stop it.
    ImGui::TextColored(colors::kBad, "\xe2\x97\x8f REC %d frames (G stops)", s.gif_frames);
    ImGui::SameLine();
  }
  ImGui::Text("step %lld", (long long)s.snap.step);
  ImGui::SameLine();
  ImGui::TextDisabled("|  %.1f steps/s", s.pacing.playing ? s.snap.steps_per_sec : 0.0);
  if (s.snap.has_target) {
    ImGui::SameLine();
    ImGui::TextDisabled("|  mean PSNR");
    ImGui::SameLine();
    ImGui::TextColored(psnr_color(mean_psnr / batch), "%.1f dB", mean_psnr / batch);
  }
  if (!horizon_note(s, out)) {
    ImGui::SameLine();
    ImGui::TextDisabled("|  brush: %s, r %.1f", mode_name(s.brush.mode), s.brush.radius);
  }
  if (s.ab.on()) draw_ab_line(s);  // ab/panel_ab.cpp: A vs B, what differs, what is shared
  if (!s.snap.has_target) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(colors::kAccent,
                       "Blank canvas: draw a digit with the left mouse button (right drag "
                       "erases, the wheel sizes the brush), then Add noise (A) makes it the "
                       "target and the model cleans a noisy copy. New digits (N) leaves.");
    ImGui::PopTextWrapPos();
  }

  TileLayoutInput in;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float line = ImGui::GetTextLineHeightWithSpacing();
  in.avail_w = avail.x;
  const float footer = timeline_footer_height(s);
  in.avail_h = avail.y - line - footer;  // the caption row, the timeline
  in.batch = batch;
  TileKind kinds[6];
  GLuint ids[6];
  in.tiles = card_tiles(s, tex, kinds, ids);
  in.grid_w = s.snap.width;
  in.grid_h = s.snap.height;
  in.tile_gap = std::round(6 * float(s.status.ui_scale));
  in.card_gap_x = std::round(22 * float(s.status.ui_scale));
  in.card_gap_y = std::round(12 * float(s.status.ui_scale));
  in.card_extra_h = ImGui::GetTextLineHeight() + 4;
  TileLayout L = compute_tile_layout(in);
  const bool one_line = L.card_w >= header_width();
  if (!one_line) {
    in.card_extra_h = 2 * ImGui::GetTextLineHeight() + 10;
    L = compute_tile_layout(in);
  }

  // Column captions, once per column of cards.
  ImVec2 origin = ImGui::GetCursorScreenPos();
  origin.x = std::floor(origin.x);
  origin.y = std::floor(origin.y);
  char cap[48];
  const char* names[6] = {"noisy", s.ab.on() ? "A" : "live", "target",
                          inspect_caption(s, cap, sizeof cap), "B", "A - B"};
  for (int col = 0; col < std::min(L.columns, batch); ++col)
    for (int t = 0; t < in.tiles; ++t) {
      const char* caption = names[kinds[t]];
      if (ImGui::CalcTextSize(caption).x > L.tile_w + L.tile_gap) continue;  // tiles too small
      ImGui::GetWindowDrawList()->AddText(ImVec2(origin.x + L.card_x(col) + L.tile_x(t), origin.y),
                                          ImGui::GetColorU32(kinds[t] == kLiveTile ? colors::kText : colors::kDim),
                                          caption);
    }
  origin.y += line;

  ui.live.live_origin.assign(size_t(batch), ImVec2(0, 0));
  ui.live.zoom = float(L.zoom);
  for (int b = 0; b < batch; ++b) draw_card(s, tex, L, one_line, b, origin, ui, out);
  draw_brush_outline(ui.live);
  ui.live.valid = true;
  // Reserve the cards' area so the window scrolls when it does not fit.
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(ImVec2(L.columns * (L.card_w + L.gap_x), L.rows * (L.card_h + L.gap_y)));
  // The timeline and the error curves at the bottom of the window.
  const float bottom = ImGui::GetWindowPos().y + ImGui::GetWindowHeight() -
                       ImGui::GetStyle().WindowPadding.y - footer;
  ImGui::SetCursorScreenPos(ImVec2(origin.x, std::max(bottom, ImGui::GetCursorScreenPos().y)));
  draw_timeline_footer(s, ui, out, avail.x);
  ImGui::End();
}

}  // namespace rrcnn
