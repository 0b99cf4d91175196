// Picture layout for `rrcnn render` and exports: a grid with one column per digit and three
// rows (noisy input | live image channel | clean target), each pixel rendered as the reference
// does (clip to [0,1], x255, truncate) and scaled up by nearest neighbour.
#pragma once

#include <cstdint>
#include <vector>

namespace rrcnn {

struct RgbImage {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;
};

// rows: each is (B, H, W) floats; any may be nullptr (left blank). gap: pixels between tiles.
RgbImage compose_rows(const std::vector<const float*>& rows, int batch, int h, int w, int scale,
                      int gap = 2);

}  // namespace rrcnn
