// `rrcnn eval --repair`: the damage users do in the studio, measured. Each kind is one of the
// studio's brushes (core/brush.h, the same code the live view runs) applied at the damage step,
// centred on the ink pixel nearest each clean digit's centre of mass; the rollout then runs on
// and the damaged region is compared with the same rollout (same noise, same dropout masks)
// never damaged. A model that blows up is reported as it is, never as an error.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "cli/eval_parts.h"
#include "core/json_io.h"

namespace rrcnn {
namespace {

double mean_of(const std::vector<double>& v, const std::vector<int>* idx) {
  double s = 0;
  if (!idx) {
    for (double x : v) s += x;
    return v.empty() ? 0.0 : s / double(v.size());
  }
  for (int i : *idx) s += v[size_t(i)];
  return idx->empty() ? 0.0 : s / double(idx->size());
}

int count_ones(const std::vector<uint8_t>& d) {
  int n = 0;
  for (uint8_t v : d) n += v;
  return n;
}

// Per-digit values of one kind at one recovery point.
struct KindAt {
  std::vector<double> damaged, undamaged, whole_damaged;
  std::vector<uint8_t> div_damaged;
};

struct KindData {
  std::vector<double> before, after;  // region MSE at the damage step, before and just after
  std::vector<KindAt> at;             // one per recovery point
  size_t region_cells = 0;
};

}  // namespace

const std::vector<RepairKind>& repair_kinds() {
  // Radii and lengths in cells. The strokes run along x through the centre (a drag across the
  // digit); the noise brush adds N(0, strength^2) to the image channel, as in the studio.
  static const std::vector<RepairKind> kinds = {
      {"erase_r3", "erase disc r3", BrushMode::kErase, 3.0f, 0.0f, 1.0f, true},
      {"erase_r6", "erase disc r6", BrushMode::kErase, 6.0f, 0.0f, 1.0f, true},
      {"erase_stroke", "erase stroke r1.5 x 16", BrushMode::kErase, kDefaultBrushRadius, 16.0f, 1.0f, true},
      {"noise_r4", "noise disc r4", BrushMode::kNoise, 4.0f, 0.0f, 1.0f, true},
      {"ink_stroke", "ink stroke r1.5 x 16", BrushMode::kDraw, kDefaultBrushRadius, 16.0f, 1.0f, false},
  };
  return kinds;
}

std::vector<const RepairKind*> parse_repair_kinds(const std::string& list) {
  std::vector<const RepairKind*> out;
  if (list.empty() || list == "all") {
    for (const RepairKind& k : repair_kinds()) out.push_back(&k);
    return out;
  }
  std::stringstream ss(list);
  std::string name;
  while (std::getline(ss, name, ',')) {
    const RepairKind* found = nullptr;
    for (const RepairKind& k : repair_kinds())
      if (name == k.name) found = &k;
    if (!found) {
      std::string names;
      for (const RepairKind& k : repair_kinds()) names += std::string(names.empty() ? "" : ", ") + k.name;
      RRCNN_FAIL("rrcnn eval: unknown damage kind '" << name << "' (choose from " << names << ", or all)");
    }
    RRCNN_CHECK(std::find(out.begin(), out.end(), found) == out.end(),
                "rrcnn eval: damage kind '" << name << "' given twice");
    out.push_back(found);
  }
  RRCNN_CHECK(!out.empty(), "rrcnn eval: --kinds names no damage kind");
  return out;
}

BrushStroke repair_stroke(const RepairKind& kind, int sample, const float* clean, int h, int w) {
  const CellPos c = repair_centre(clean, h, w);
  BrushStroke s = centred_stroke(sample, c.x, c.y, kind.length, 0.0f, kind.radius, kind.mode, kind.strength);
  s.serial = 1;  // the noise brush's draw: the same for every model and in the picture
  return s;
}

EvalReport eval_repair(const EvalContext& ctx, float alpha, int damage_step,
                       const std::vector<int>& recover_at, const std::vector<const RepairKind*>& kinds) {
  const ModelConfig& c = ctx.ck.config;
  const size_t nk = kinds.size(), na = recover_at.size();
  std::vector<KindData> data(nk);
  for (KindData& k : data) k.at.resize(na);
  std::vector<std::vector<double>> whole_undamaged(na);
  std::vector<std::vector<uint8_t>> div_undamaged(na);

  for_each_test_batch(ctx, [&](int start, int b, const std::vector<float>& clean) {
    note_progress("repair", start, ctx.count);
    // The rollout left alone: images at the damage step and at each recovery point.
    start_rollout(ctx, clean, b, alpha, start, ctx.dropout);
    ctx.backend.step(damage_step);
    const std::vector<float> img_before = ctx.backend.image();
    std::vector<std::vector<float>> img_undamaged(na);
    int done = 0;
    for (size_t a = 0; a < na; ++a) {
      ctx.backend.step(recover_at[a] - done);
      done = recover_at[a];
      img_undamaged[a] = ctx.backend.image();
      score_backend(ctx, clean, b, &whole_undamaged[a], &div_undamaged[a]);
    }
    // The same rollout, damaged by each kind in turn.
    for (size_t k = 0; k < nk; ++k) {
      KindData& kd = data[k];
      std::vector<std::vector<int>> regions(b);
      start_rollout(ctx, clean, b, alpha, start, ctx.dropout);
      ctx.backend.step(damage_step);
      for (int i = 0; i < b; ++i) {
        const BrushStroke s = repair_stroke(*kinds[k], i, clean.data() + size_t(i) * c.cells(), c.height, c.width);
        regions[i] = covered_pixels(s, c.height, c.width);
        kd.region_cells += regions[i].size();
        ctx.backend.brush(s);
      }
      const std::vector<float> img_after = ctx.backend.image();
      for (int i = 0; i < b; ++i) {
        const size_t off = size_t(i) * c.cells();
        kd.before.push_back(region_mse(img_before.data() + off, clean.data() + off, regions[i]));
        kd.after.push_back(region_mse(img_after.data() + off, clean.data() + off, regions[i]));
      }
      done = 0;
      for (size_t a = 0; a < na; ++a) {
        ctx.backend.step(recover_at[a] - done);
        done = recover_at[a];
        KindAt& ka = kd.at[a];
        const std::vector<float> img = ctx.backend.image();
        score_backend(ctx, clean, b, &ka.whole_damaged, &ka.div_damaged);
        for (int i = 0; i < b; ++i) {
          const size_t off = size_t(i) * c.cells();
          ka.damaged.push_back(region_mse(img.data() + off, clean.data() + off, regions[i]));
          ka.undamaged.push_back(region_mse(img_undamaged[a].data() + off, clean.data() + off, regions[i]));
        }
      }
    }
  });
  note_progress("repair", ctx.count, ctx.count);

  std::ostringstream table, json;
  char buf[800];
  std::snprintf(buf, sizeof buf,
                "\nRepair: %d held-out digits, alpha %s, dropout %g: at step %d each kind of damage is done "
                "with the studio's brush, centred on the ink pixel nearest each digit's centre of mass "
                "(strokes along x), then the rollout runs on. Recovered: share of the damaged region's lost "
                "PSNR won back, (damaged - just after) / (never damaged - just after), bootstrap 95%%; "
                "whole: whole-image PSNR, damaged minus never damaged\n",
                ctx.count, level_label(alpha).c_str(), ctx.dropout, damage_step);
  table << buf;
  std::snprintf(buf, sizeof buf, "%-24s %6s %8s %8s", "kind", "cells", "before", "after");
  table << buf;
  for (int s : recover_at) {
    std::snprintf(buf, sizeof buf, "  %-22s %9s", ("recovered +" + std::to_string(s)).c_str(),
                  ("whole +" + std::to_string(s)).c_str());
    table << buf;
  }
  table << "  diverged\n";
  json << "{\"alpha\":" << level_json(alpha) << ",\"dropout\":" << ctx.dropout << ",\"damage_step\":" << damage_step
       << ",\"recover_steps\":[";
  for (size_t a = 0; a < na; ++a) json << (a ? "," : "") << recover_at[a];
  json << "],\"undamaged\":[";
  for (size_t a = 0; a < na; ++a)
    json << (a ? "," : "") << "{\"steps\":" << recover_at[a] << ",\"whole\":{"
         << quality_fields(summarize_quality(whole_undamaged[a])) << "},\"diverged\":" << count_ones(div_undamaged[a])
         << "}";
  json << "],\"kinds\":{";
  for (size_t k = 0; k < nk; ++k) {
    const RepairKind& kind = *kinds[k];
    const KindData& kd = data[k];
    const double cells = double(kd.region_cells) / std::max(1, ctx.count);
    const QualitySummary qb = summarize_quality(kd.before), qe = summarize_quality(kd.after);
    std::snprintf(buf, sizeof buf, "%-24s %6.1f %8.2f %8.2f", kind.label, cells, qb.psnr, qe.psnr);
    table << buf;
    json << (k ? "," : "") << json_quote(kind.name) << ":{\"label\":" << json_quote(kind.label)
         << ",\"brush\":{\"mode\":" << json_quote(brush_mode_name(kind.mode)) << ",\"radius\":" << kind.radius
         << ",\"length\":" << kind.length << ",\"strength\":" << kind.strength << "}"
         << ",\"has_target\":" << (kind.has_target ? "true" : "false")
         << ",\"mean_region_cells\":" << json_number(cells) << ",\"region_before\":{" << quality_fields(qb)
         << "},\"region_after_damage\":{" << quality_fields(qe) << "},\"after\":[";
    std::string divs;
    for (size_t a = 0; a < na; ++a) {
      const KindAt& ka = kd.at[a];
      const auto fraction = [&](const std::vector<double>& reference, const std::vector<int>* idx) {
        const double pe = psnr_from_mse(mean_of(kd.after, idx));
        return (psnr_from_mse(mean_of(ka.damaged, idx)) - pe) / (psnr_from_mse(mean_of(reference, idx)) - pe);
      };
      const double f = fraction(ka.undamaged, nullptr), fb = fraction(kd.before, nullptr);
      const Interval ci = bootstrap_ci95(ctx.count, [&](const std::vector<int>& idx) { return fraction(ka.undamaged, &idx); });
      const QualitySummary qd = summarize_quality(ka.damaged), qu = summarize_quality(ka.undamaged),
                           wd = summarize_quality(ka.whole_damaged), wu = summarize_quality(whole_undamaged[a]);
      const double change = wd.psnr - wu.psnr;
      std::snprintf(buf, sizeof buf, "  %5.0f%% [%4.0f, %4.0f]%% %+9.2f", f * 100, ci.lo * 100, ci.hi * 100, change);
      table << buf;
      divs += (a ? "/" : "") + std::to_string(count_ones(ka.div_damaged));
      json << (a ? "," : "") << "{\"steps\":" << recover_at[a] << ",\"region_damaged\":{" << quality_fields(qd)
           << "},\"region_undamaged\":{" << quality_fields(qu) << "},\"recovered\":" << json_number(f)
           << ",\"recovered_ci95\":[" << json_number(ci.lo) << "," << json_number(ci.hi) << "]"
           << ",\"recovered_vs_before\":" << json_number(fb) << ",\"whole_damaged\":{" << quality_fields(wd)
           << "},\"whole_change_db\":" << json_number(change)
           << ",\"diverged\":" << count_ones(ka.div_damaged) << "}";
    }
    std::string undiv;
    for (size_t a = 0; a < na; ++a) undiv += (a ? "/" : "") + std::to_string(count_ones(div_undamaged[a]));
    table << "  " << divs << " (never damaged " << undiv << ")\n";
    json << "]}";
  }
  json << "}}";
  if (std::any_of(kinds.begin(), kinds.end(), [](const RepairKind* k) { return !k->has_target; }))
    table << "(an ink stroke is signal a user adds: a denoiser may keep it; reported, no target)\n";
  return {table.str(), json.str()};
}

}  // namespace rrcnn
