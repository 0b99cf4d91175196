// CPU-coloured strips of the timeline views (see timeline_tiles.h).
#include "gui/rendering/timeline_tiles.h"

#include <algorithm>
#include <cmath>

#include "core/cell_math.h"
#include "gui/rendering/colormap.h"

namespace rrcnn {

void timeline_strip(const std::vector<float>& v, int batch, int h, int w, int kind, int colormap,
                    std::vector<uint8_t>* rgba) {
  rgba->assign(size_t(batch) * w * h * 4, 255);
  for (int b = 0; b < batch; ++b)
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const size_t i = (size_t(b) * h + y) * w + x;
        uint8_t* px = rgba->data() + (size_t(y) * batch * w + size_t(b) * w + x) * 4;
        const float val = i < v.size() ? v[i] : 0.0f;
        if (kind == 0) {
          px[0] = px[1] = px[2] = render_pixel(val);
          continue;
        }
        // Magnitudes use the upper half of the diverging map: 0 at its centre, the most at its end.
        const float u = kind == 1 ? change_unit(val) : std::clamp(val / kStdHi, 0.0f, 1.0f);
        const Rgb8 c = colormap_at(ColorMap(colormap), 0.5f + 0.5f * u);
        px[0] = c.r;
        px[1] = c.g;
        px[2] = c.b;
      }
}

void TimelineTiles::update(StudioState* s, const TimelineFrame* original) {
  TimelineUi& tl = s->tl;
  const SimSnapshot& snap = s->snap;
  const int B = snap.batch, H = snap.height, W = snap.width;
  tl.change_texture = 0;
  tl.tile_texture = 0;
  if (B <= 0) return;
  const size_t n = size_t(B) * H * W;
  if (tl.change.size() == n) {
    timeline_strip(tl.change, B, H, W, 1, s->view.colormap, &scratch_);
    change_.upload(B * W, H, scratch_.data());
    tl.change_texture = change_.texture;
  }
  const std::vector<float>* src = nullptr;
  const bool mc = tl.mc_ready && !tl.mc_stale;  // never another rollout's mean and spread
  int kind = 0;
  switch (s->view.inspect) {
    case InspectView::kChange:
      src = tl.change.size() == n ? &tl.change : nullptr;
      kind = 1;
      break;
    case InspectView::kMcMean:
      src = mc && tl.mc_result.mean.size() == n ? &tl.mc_result.mean : nullptr;
      break;
    case InspectView::kMcStd:
      src = mc && tl.mc_result.std_dev.size() == n ? &tl.mc_result.std_dev : nullptr;
      kind = 2;
      break;
    case InspectView::kOriginal:
      src = original && original->image.size() == n ? &original->image : nullptr;
      break;
    default:
      return;
  }
  static const std::vector<float> blank;
  timeline_strip(src ? *src : blank, B, H, W, src ? kind : 2, s->view.colormap, &scratch_);
  if (!src)  // nothing to show (not computed, not kept): a dim grey tile, the caption says why
    for (size_t i = 0; i < scratch_.size(); i += 4) scratch_[i] = scratch_[i + 1] = scratch_[i + 2] = 40;
  tile_.upload(B * W, H, scratch_.data());
  tl.tile_texture = tile_.texture;
}

void TimelineTiles::destroy() {
  change_.destroy();
  tile_.destroy();
}

}  // namespace rrcnn
