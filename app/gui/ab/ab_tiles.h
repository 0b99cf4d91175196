// A/B's two tiles on every digit card, coloured on the CPU like the timeline's (they are small:
// B x 28 x 28) into RGBA strips laid out like the renderer's (digit b covers u in [b/B, (b+1)/B)):
// B's image channel in grey, and A - B (both clipped to [0, 1] as drawn) through the same
// diverging colour map and range as the error map (colormap.h): orange where A is brighter,
// blue where B is, the centre colour where they agree.
#pragma once

#include <cstdint>
#include <vector>

#include "gui/rendering/gl_util.h"
#include "gui/studio_state.h"

namespace rrcnn {

// A's image channel (from its (B, H, W, C) state) minus B's image (B, H*W), clipped as drawn.
// Returns the largest |A - B|.
float ab_difference(const std::vector<float>& a_state, int channels,
                    const std::vector<float>& b_image, std::vector<float>* diff);

class AbTiles {
 public:
  // Redraws when the snapshot, B's frame or the view changed; sets s->ab.b_texture,
  // s->ab.diff_texture and s->ab.diff_max.
  void update(StudioState* s);
  void destroy();

 private:
  Rgba8Texture b_, diff_;
  std::vector<uint8_t> scratch_;
  std::vector<float> values_;
  uint64_t drawn_version_ = 0;
  int64_t drawn_step_ = -2;
  int drawn_map_ = -1;
  float drawn_range_ = -1;
};

}  // namespace rrcnn
