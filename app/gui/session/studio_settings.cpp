// Studio settings <-> session file (see studio_settings.h). Names in the file are the words the
// --script language and the panels use (view tile "error", brush "erase", colormap "light").
#include "gui/session/studio_settings.h"

#include <algorithm>

namespace rrcnn {
namespace {

const char* kTiles[] = {"image", "channel", "error", "change", "mean", "std", "original"};
const char* kModes[] = {"draw", "erase", "noise"};

}  // namespace

Session to_session(const StudioSettings& s) {
  Session f;
  f.model.checkpoint = s.checkpoint;
  f.model.preset = s.preset;
  f.model.backend = s.backend;
  f.model.threads = s.threads;
  f.data = s.data;
  f.live.random_alpha = s.noise.random_alpha;
  f.live.alpha = s.noise.alpha;
  f.live.dropout = s.noise.dropout;
  f.live.seed = s.noise.seed;
  f.live.digits = s.noise.batch;
  f.live.rollout = s.pacing.rollout_length;
  f.live.endless = s.pacing.endless;
  f.live.loop = s.pacing.loop;
  f.live.speed = s.pacing.speed;
  f.live.max_speed = s.pacing.max_speed;
  f.live.playing = s.pacing.playing;
  f.brush.mode = kModes[std::clamp(int(s.brush.mode), 0, 2)];
  f.brush.radius = s.brush.radius;
  f.brush.strength = s.brush.strength;
  f.brush.all_digits = s.brush.all_samples;
  const ViewSettings& v = s.view;
  f.view.tile = kTiles[std::clamp(int(v.inspect), 0, 6)];
  f.view.channel = v.channel;
  f.view.auto_range = v.auto_range;
  f.view.range = v.range;
  f.view.error_range = v.error_range;
  f.view.colormap = v.colormap == 1 ? "light" : "dark";
  f.view.selected = v.selected;
  f.view.controls = v.show_controls;
  f.view.inspector = v.show_inspector;
  f.view.training = v.show_training;
  f.view.help = v.show_help;
  f.view.captions = s.captions;
  f.view.timeline = s.timeline.settings.enabled;
  f.view.timeline_full_steps = s.timeline.settings.full_steps;
  f.view.curves = s.timeline.show_curves;
  f.view.psnr = s.timeline.psnr;
  f.view.uncertainty_k = s.timeline.mc_k;
  f.train.batch = s.train.batch;
  f.train.target_steps = s.train.target_steps;
  f.train.lr_start = s.train.lr_start;
  f.train.lr_end = s.train.lr_end;
  f.train.lr_decay_steps = s.train.lr_decay_steps;
  f.train.seed = s.train.seed;
  f.train.recipe = s.recipe;
  f.train.run_recipe = s.train.recipe.name();
  f.train.pool = s.train.recipe.pool_config;
  f.train.save_to = s.save_to;
  f.train.save_optimizer = s.save_optimizer;
  f.ab_json = s.ab_json;
  return f;
}

StudioSettings from_session(const Session& f) {
  StudioSettings s;
  s.checkpoint = f.model.checkpoint;
  s.preset = f.model.preset;
  s.backend = f.model.backend;
  s.threads = f.model.threads;
  s.data = f.data;
  s.noise.random_alpha = f.live.random_alpha;
  s.noise.alpha = f.live.alpha;
  s.noise.dropout = f.live.dropout;
  s.noise.seed = f.live.seed;
  s.noise.batch = f.live.digits;
  s.pacing.rollout_length = f.live.rollout;
  s.pacing.endless = f.live.endless;
  s.pacing.loop = f.live.loop;
  s.pacing.speed = f.live.speed;
  s.pacing.max_speed = f.live.max_speed;
  s.pacing.playing = f.live.playing;
  for (int i = 0; i < 3; ++i)
    if (f.brush.mode == kModes[i]) s.brush.mode = BrushMode(i);
  s.brush.radius = f.brush.radius;
  s.brush.strength = f.brush.strength;
  s.brush.all_samples = f.brush.all_digits;
  ViewSettings& v = s.view;
  for (int i = 0; i < 7; ++i)
    if (f.view.tile == kTiles[i]) v.inspect = InspectView(i);
  v.channel = f.view.channel;
  v.auto_range = f.view.auto_range;
  v.range = f.view.range;
  v.error_range = f.view.error_range;
  v.colormap = f.view.colormap == "light" ? 1 : 0;
  v.selected = f.view.selected;
  v.show_controls = f.view.controls;
  v.show_inspector = f.view.inspector;
  v.show_training = f.view.training;
  v.show_help = f.view.help;
  s.captions = f.view.captions;
  s.timeline.settings.enabled = f.view.timeline;
  s.timeline.settings.full_steps = f.view.timeline_full_steps;
  s.timeline.show_curves = f.view.curves;
  s.timeline.psnr = f.view.psnr;
  s.timeline.mc_k = f.view.uncertainty_k;
  s.train.batch = f.train.batch;
  s.train.target_steps = f.train.target_steps;
  s.train.lr_start = f.train.lr_start;
  s.train.lr_end = f.train.lr_end;
  s.train.lr_decay_steps = f.train.lr_decay_steps;
  s.train.seed = f.train.seed;
  s.recipe = f.train.recipe;
  s.train.recipe.pool = f.train.run_recipe == "pool";
  s.train.recipe.pool_config = f.train.pool;
  s.save_to = f.train.save_to;
  s.save_optimizer = f.train.save_optimizer;
  s.ab_json = f.ab_json;
  return s;
}

}  // namespace rrcnn
