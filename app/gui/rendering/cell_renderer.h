// Turns the live state into pictures on the GPU. The state goes up once per new snapshot as a
// float buffer texture in the backend's own layout (B, H, W, C) (the host-copy path; a CUDA-GL
// interop path would write the same buffer from the device), then the shaders in shaders/ draw
// one fragment per cell into native-resolution targets: the image channel as grey, a channel
// or the error map through the diverging colour map, and the mosaic of all channels. The UI
// scales those up by integer factors with nearest-neighbour sampling, so cells stay crisp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gui/commands.h"
#include "gui/rendering/gl_util.h"
#include "gui/live/live_sim.h"
#include "gui/rendering/state_upload.h"

namespace rrcnn {

struct CellTextures {
  GLuint noisy = 0, live = 0, target = 0, inspect = 0, mosaic = 0;
  int strip_w = 0, strip_h = 0;  // B*W x H: digit b covers u in [b/B, (b+1)/B)
  int batch = 0;
  int mosaic_cols = 0, mosaic_rows = 0;
};

class CellRenderer {
 public:
  void init();     // throws rrcnn::Error when a shader fails
  void destroy();  // before the context goes away
  // Uploads and redraws what changed since the last call.
  void update(const SimSnapshot& snap, const ViewSettings& view);
  const CellTextures& textures() const { return tex_; }
  // Symmetric range of each channel used by the colour map (auto or fixed).
  const std::vector<float>& channel_ranges() const { return ranges_; }
  // How the state buffer is filled (host copy or CUDA-GL interop) and what it costs per frame.
  std::string display_path() const { return state_upload_.status(); }
  StateUpload& state_upload() { return state_upload_; }

 private:
  void upload_inputs(const SimSnapshot& snap);
  void compute_ranges(const SimSnapshot& snap, const ViewSettings& view);
  void begin_pass(RenderTarget& target, GLuint program, const SimSnapshot& snap);

  GLuint image_prog_ = 0, channel_prog_ = 0, error_prog_ = 0, vao_ = 0;
  FloatBufferTexture state_, target_buf_, ranges_buf_;
  StateUpload state_upload_;  // fills state_
  Rgba8Texture noisy_, clean_, lut_;
  RenderTarget live_rt_, inspect_rt_, mosaic_rt_;
  CellTextures tex_;
  std::vector<float> ranges_;
  std::vector<uint8_t> scratch_;
  uint64_t drawn_version_ = 0, inputs_version_ = ~uint64_t(0);
  int lut_map_ = -1;
  ViewSettings drawn_view_;
  bool drawn_any_ = false;
};

}  // namespace rrcnn
