// Tiled grey rendering of image rows (see frames.h).
#include "core/frames.h"

#include "core/cell_math.h"
#include "core/error.h"

namespace rrcnn {

RgbImage compose_rows(const std::vector<const float*>& rows, int batch, int h, int w, int scale,
                      int gap) {
  RRCNN_CHECK(batch >= 1 && h >= 1 && w >= 1 && scale >= 1 && scale <= 64 && gap >= 0,
              "render: bad layout (batch " << batch << ", scale " << scale << ")");
  RgbImage img;
  const int tile_w = w * scale, tile_h = h * scale;
  img.width = batch * tile_w + (batch + 1) * gap;
  img.height = int(rows.size()) * tile_h + (int(rows.size()) + 1) * gap;
  img.rgb.assign(size_t(img.width) * img.height * 3, 40);  // dark grey frame between tiles
  for (size_t r = 0; r < rows.size(); ++r) {
    if (!rows[r]) continue;
    for (int b = 0; b < batch; ++b) {
      const int x0 = gap + b * (tile_w + gap), y0 = gap + int(r) * (tile_h + gap);
      for (int py = 0; py < tile_h; ++py)
        for (int px = 0; px < tile_w; ++px) {
          const float v = rows[r][(size_t(b) * h + py / scale) * w + px / scale];
          const uint8_t g = render_pixel(v);
          uint8_t* o = &img.rgb[(size_t(y0 + py) * img.width + x0 + px) * 3];
          o[0] = o[1] = o[2] = g;
        }
    }
  }
  return img;
}

}  // namespace rrcnn
