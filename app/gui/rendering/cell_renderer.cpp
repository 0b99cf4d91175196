// GPU drawing of the cells (see cell_renderer.h).
#include "gui/rendering/cell_renderer.h"

#include <algorithm>
#include <cmath>

#include "core/cell_math.h"
#include "core/error.h"
#include "gui/rendering/colormap.h"
#include "gui/rendering/shader_sources.h"

namespace rrcnn {
namespace {

// Texture units the passes use.
constexpr int kUnitState = 0, kUnitRanges = 1, kUnitLut = 2, kUnitTarget = 3;

bool same_drawing(const ViewSettings& a, const ViewSettings& b) {
  return a.inspect == b.inspect && a.channel == b.channel && a.auto_range == b.auto_range &&
         a.range == b.range && a.error_range == b.error_range && a.colormap == b.colormap &&
         a.selected == b.selected;
}

// (B, H, W) floats -> RGBA strip B*W x H, row 0 = the digits' top row, grey by render_pixel.
void grey_strip(const std::vector<float>& img, int batch, int h, int w, std::vector<uint8_t>* out) {
  out->assign(size_t(batch) * w * h * 4, 255);
  for (int b = 0; b < batch; ++b)
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const uint8_t g = render_pixel(img[(size_t(b) * h + y) * w + x]);
        uint8_t* px = out->data() + (size_t(y) * batch * w + size_t(b) * w + x) * 4;
        px[0] = px[1] = px[2] = g;
      }
}

void bind_buffer_texture(int unit, GLuint texture) {
  glActiveTexture(GLenum(GL_TEXTURE0 + unit));
  glBindTexture(GL_TEXTURE_BUFFER, texture);
}

}  // namespace

void CellRenderer::init() {
  image_prog_ = compile_program(shaders::fullscreen_vert, shaders::image_frag, "image");
  channel_prog_ = compile_program(shaders::fullscreen_vert, shaders::channel_frag, "channel");
  error_prog_ = compile_program(shaders::fullscreen_vert, shaders::error_frag, "error");
  glGenVertexArrays(1, &vao_);  // core profile: a draw needs a bound VAO, even an empty one
}

void CellRenderer::destroy() {
  for (GLuint* p : {&image_prog_, &channel_prog_, &error_prog_})
    if (*p) {
      glDeleteProgram(*p);
      *p = 0;
    }
  if (vao_) glDeleteVertexArrays(1, &vao_);
  vao_ = 0;
  state_upload_.destroy();  // unregisters state_ from CUDA before GL deletes it
  state_.destroy();
  target_buf_.destroy();
  ranges_buf_.destroy();
  noisy_.destroy();
  clean_.destroy();
  lut_.destroy();
  live_rt_.destroy();
  inspect_rt_.destroy();
  mosaic_rt_.destroy();
  tex_ = CellTextures{};
}

void CellRenderer::upload_inputs(const SimSnapshot& s) {
  grey_strip(s.noisy, s.batch, s.height, s.width, &scratch_);
  noisy_.upload(s.batch * s.width, s.height, scratch_.data());
  grey_strip(s.clean, s.batch, s.height, s.width, &scratch_);
  clean_.upload(s.batch * s.width, s.height, scratch_.data());
  target_buf_.upload(s.clean.data(), s.clean.size());
  inputs_version_ = s.inputs_version;
}

void CellRenderer::compute_ranges(const SimSnapshot& s, const ViewSettings& view) {
  const int c_n = s.channels;
  ranges_.assign(size_t(c_n), view.auto_range ? 0.0f : std::max(view.range, 1e-3f));
  if (view.auto_range) {
    // Cell by cell, channels innermost (no division per value: this runs at every new state).
    const size_t cells = s.state.size() / size_t(c_n);
    float* r = ranges_.data();
    for (size_t cell = 0; cell < cells; ++cell) {
      const float* v = s.state.data() + cell * size_t(c_n);
      for (int c = 0; c < c_n; ++c) {
        const float a = std::fabs(v[c]);
        if (a > r[c] && std::isfinite(a)) r[c] = a;
      }
    }
    for (float& r : ranges_) r = std::max(r, 1e-3f);
  }
  ranges_buf_.upload(ranges_.data(), ranges_.size());
}

void CellRenderer::begin_pass(RenderTarget& target, GLuint program, const SimSnapshot& s) {
  glBindFramebuffer(GL_FRAMEBUFFER, target.fbo);
  glViewport(0, 0, target.width, target.height);
  glDisable(GL_BLEND);
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_DEPTH_TEST);
  glClearColor(0, 0, 0, 0);
  glClear(GL_COLOR_BUFFER_BIT);
  glUseProgram(program);
  glUniform4i(glGetUniformLocation(program, "u_dims"), s.batch, s.height, s.width, s.channels);
  glUniform1i(glGetUniformLocation(program, "u_state"), kUnitState);
  glUniform1i(glGetUniformLocation(program, "u_ranges"), kUnitRanges);
  glUniform1i(glGetUniformLocation(program, "u_lut"), kUnitLut);
  glUniform1i(glGetUniformLocation(program, "u_target"), kUnitTarget);
}

void CellRenderer::update(const SimSnapshot& s, const ViewSettings& view) {
  if (s.batch <= 0 || s.state.empty()) return;
  const bool new_state = s.version != drawn_version_;
  if (!new_state && drawn_any_ && same_drawing(view, drawn_view_)) return;
  GLint max_texels = 0;
  glGetIntegerv(GL_MAX_TEXTURE_BUFFER_SIZE, &max_texels);
  RRCNN_CHECK(s.state.size() <= size_t(max_texels),
              "the live state (" << s.state.size()
                                 << " floats) exceeds this GPU's buffer texture limit ("
                                 << max_texels << "); lower the batch");
  if (lut_map_ != view.colormap) {
    const std::vector<uint8_t> lut = colormap_lut(ColorMap(view.colormap));
    lut_.upload(256, 1, lut.data(), true);
    lut_map_ = view.colormap;
  }
  if (s.inputs_version != inputs_version_) upload_inputs(s);
  if (new_state) state_upload_.upload(state_, s);
  compute_ranges(s, view);

  const int strip_w = s.batch * s.width, strip_h = s.height;
  live_rt_.ensure(strip_w, strip_h);
  inspect_rt_.ensure(strip_w, strip_h);
  const int cols = int(std::ceil(std::sqrt(double(s.channels))));
  const int rows = (s.channels + cols - 1) / cols;
  mosaic_rt_.ensure(cols * s.width, rows * s.height);

  bind_buffer_texture(kUnitState, state_.texture);
  bind_buffer_texture(kUnitRanges, ranges_buf_.texture);
  bind_buffer_texture(kUnitTarget, target_buf_.texture);
  glActiveTexture(GL_TEXTURE0 + kUnitLut);
  glBindTexture(GL_TEXTURE_2D, lut_.texture);
  glBindVertexArray(vao_);

  begin_pass(live_rt_, image_prog_, s);
  glDrawArrays(GL_TRIANGLES, 0, 3);
  live_rt_.drawn();

  if (view.inspect == InspectView::kError) {
    begin_pass(inspect_rt_, error_prog_, s);
    glUniform1f(glGetUniformLocation(error_prog_, "u_range"), view.error_range);
    glUniform1i(glGetUniformLocation(error_prog_, "u_has_target"), s.has_target ? 1 : 0);
  } else {
    begin_pass(inspect_rt_, channel_prog_, s);
    glUniform1i(glGetUniformLocation(channel_prog_, "u_mosaic"), 0);
    glUniform1i(glGetUniformLocation(channel_prog_, "u_channel"),
                std::clamp(view.channel, 0, s.channels - 1));
  }
  glDrawArrays(GL_TRIANGLES, 0, 3);
  inspect_rt_.drawn();

  begin_pass(mosaic_rt_, channel_prog_, s);
  glUniform1i(glGetUniformLocation(channel_prog_, "u_mosaic"), 1);
  glUniform1i(glGetUniformLocation(channel_prog_, "u_sample"),
              std::clamp(view.selected, 0, s.batch - 1));
  glUniform1i(glGetUniformLocation(channel_prog_, "u_cols"), cols);
  glDrawArrays(GL_TRIANGLES, 0, 3);
  mosaic_rt_.drawn();

  glBindVertexArray(0);
  glUseProgram(0);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  for (int unit : {kUnitState, kUnitRanges, kUnitTarget}) bind_buffer_texture(unit, 0);
  glActiveTexture(GL_TEXTURE0 + kUnitLut);
  glBindTexture(GL_TEXTURE_2D, 0);
  glActiveTexture(GL_TEXTURE0);

  tex_ = CellTextures{noisy_.texture,
                      live_rt_.texture,
                      clean_.texture,
                      inspect_rt_.texture,
                      mosaic_rt_.texture,
                      strip_w,
                      strip_h,
                      s.batch,
                      cols,
                      rows};
  drawn_version_ = s.version;
  drawn_view_ = view;
  drawn_any_ = true;
}

}  // namespace rrcnn
