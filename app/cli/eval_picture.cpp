// `rrcnn eval --repair --picture FILE.png`: the repair test drawn for the first few held-out
// digits, one column per digit, one row per moment of a single rollout that is damaged at the
// erase step and then left running (so it shows repair and persistence together). Two models
// drawn with the same flags get the same digits, noise, dropout masks and damage.
#include <algorithm>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "cli/eval_parts.h"
#include "core/frames.h"
#include "core/image_io.h"
#include "core/json_io.h"

namespace rrcnn {

EvalReport write_repair_picture(const EvalContext& ctx, const std::string& path, float alpha,
                                 int damage_step, int recover_steps, const RepairKind& kind,
                                 const std::vector<int>& later_steps) {
  const ModelConfig& c = ctx.ck.config;
  const int b = std::min(8, ctx.count);
  std::vector<int> idx(b);
  for (int i = 0; i < b; ++i) idx[i] = i;
  const std::vector<float> clean = gather_batch(ctx.data.test, idx);
  start_rollout(ctx, clean, b, alpha, 0, ctx.dropout);
  std::vector<std::vector<float>> rows;
  std::vector<std::string> names;
  const auto grab = [&](const std::string& name) {
    rows.push_back(ctx.backend.image());
    names.push_back(name);
  };
  grab("noisy input (step 0)");
  ctx.backend.step(damage_step);
  grab("step " + std::to_string(damage_step));
  for (int i = 0; i < b; ++i)
    ctx.backend.brush(repair_stroke(kind, i, clean.data() + size_t(i) * c.cells(), c.height, c.width));
  grab(std::string("just after: ") + kind.label);
  int at = damage_step;
  for (int s : {damage_step + recover_steps / 4, damage_step + recover_steps}) {
    if (s <= at) continue;
    ctx.backend.step(s - at);
    at = s;
    grab("step " + std::to_string(s));
  }
  for (int s : later_steps) {
    if (s <= at) continue;
    ctx.backend.step(s - at);
    at = s;
    grab("step " + std::to_string(s));
  }
  rows.push_back(clean);
  names.push_back("target");
  std::vector<const float*> ptrs;
  for (const auto& r : rows) ptrs.push_back(r.data());
  const int scale = 3, gap = 2;
  const RgbImage img = compose_rows(ptrs, b, c.height, c.width, scale, gap);
  write_png(path, img.width, img.height, img.rgb);
  std::ostringstream legend, json;
  legend << "\nwrote " << path << ": " << b << " held-out digits, alpha " << level_label(alpha) << ", rows:";
  json << "{\"path\":" << json_quote(path) << ",\"digits\":" << b << ",\"cell_pixels\":" << scale
       << ",\"gap\":" << gap << ",\"rows\":[";
  for (size_t i = 0; i < names.size(); ++i) {
    legend << (i ? ", " : " ") << names[i];
    json << (i ? "," : "") << json_quote(names[i]);
  }
  legend << "\n";
  json << "]}";
  return {legend.str(), json.str()};
}

}  // namespace rrcnn
