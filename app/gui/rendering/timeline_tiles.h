// The 4th-tile pictures the timeline tools add (change map, dropout mean and spread, the fork's
// original) and the inspector's change map, coloured on the CPU (they are small: B x 28 x 28)
// into RGBA strips laid out like the renderer's (digit b covers u in [b/B, (b+1)/B)).
#pragma once

#include <cstdint>
#include <vector>

#include "gui/rendering/gl_util.h"
#include "gui/studio_state.h"

namespace rrcnn {

// (B, H*W) values -> RGBA strip B*W x H. kind: 0 grey image, 1 change (log scale), 2 std.
void timeline_strip(const std::vector<float>& v, int batch, int h, int w, int kind, int colormap,
                    std::vector<uint8_t>* rgba);

class TimelineTiles {
 public:
  // Redraws what the state asks for; sets s->tl.change_texture and s->tl.tile_texture.
  void update(StudioState* s, const TimelineFrame* original);
  void destroy();

 private:
  Rgba8Texture change_, tile_;
  std::vector<uint8_t> scratch_;
};

}  // namespace rrcnn
