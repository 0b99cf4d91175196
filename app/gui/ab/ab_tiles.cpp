// A/B's tiles (see ab_tiles.h).
#include "gui/ab/ab_tiles.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "gui/rendering/colormap.h"
#include "gui/rendering/timeline_tiles.h"

namespace rrcnn {
namespace {

float drawn(float v) { return std::isnan(v) ? 0.0f : std::clamp(v, 0.0f, 1.0f); }

}  // namespace

float ab_difference(const std::vector<float>& a_state, int channels,
                    const std::vector<float>& b_image, std::vector<float>* diff) {
  const size_t C = size_t(std::max(channels, 1));
  diff->assign(b_image.size(), 0.0f);
  float most = 0;
  for (size_t i = 0; i < b_image.size() && i * C + C - 1 < a_state.size(); ++i) {
    const float d = drawn(a_state[i * C + C - 1]) - drawn(b_image[i]);
    (*diff)[i] = d;
    most = std::max(most, std::fabs(d));
  }
  return most;
}

void AbTiles::update(StudioState* s) {
  AbUi& ab = s->ab;
  const SimSnapshot& snap = s->snap;
  const int B = snap.batch, H = snap.height, W = snap.width;
  if (!ab.on() || B <= 0 || ab.image.size() != size_t(B) * H * W) {
    ab.b_texture = ab.diff_texture = 0;
    return;
  }
  if (drawn_version_ != snap.version || drawn_step_ != ab.step || drawn_map_ != s->view.colormap ||
      drawn_range_ != s->view.error_range || !b_.texture) {
    timeline_strip(ab.image, B, H, W, 0, s->view.colormap, &scratch_);
    b_.upload(B * W, H, scratch_.data());
    ab.diff_max = ab_difference(snap.state, snap.channels, ab.image, &values_);
    const float range = std::max(s->view.error_range, 1e-6f);
    scratch_.assign(size_t(B) * W * H * 4, 255);
    for (int b = 0; b < B; ++b)
      for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
          const Rgb8 c = colormap_at(ColorMap(s->view.colormap),
                                     diverging_t(values_[(size_t(b) * H + y) * W + x], range));
          uint8_t* px = scratch_.data() + (size_t(y) * B * W + size_t(b) * W + x) * 4;
          px[0] = c.r;
          px[1] = c.g;
          px[2] = c.b;
        }
    diff_.upload(B * W, H, scratch_.data());
    drawn_version_ = snap.version;
    drawn_step_ = ab.step;
    drawn_map_ = s->view.colormap;
    drawn_range_ = s->view.error_range;
  }
  ab.b_texture = b_.texture;
  ab.diff_texture = diff_.texture;
}

void AbTiles::destroy() {
  b_.destroy();
  diff_.destroy();
}

}  // namespace rrcnn
