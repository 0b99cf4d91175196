// Small OpenGL 3.3 helpers for the cell renderer: shader programs with readable errors, a
// float buffer texture (the state exactly as the backend lays it out), 2D textures and
// render targets at the grid's native resolution. Call only with the context current.
#pragma once

#include <glad/gl.h>

#include <cstddef>
#include <cstdint>

namespace rrcnn {

// Compiles and links; throws rrcnn::Error naming `name` and quoting the driver's log.
GLuint compile_program(const char* vertex_src, const char* fragment_src, const char* name);

// A GL_R32F buffer texture (samplerBuffer in GLSL), grown as needed.
struct FloatBufferTexture {
  GLuint buffer = 0, texture = 0;
  size_t capacity = 0;  // floats
  void upload(const float* data, size_t count);
  void destroy();
};

// An RGBA8 texture sampled with GL_NEAREST (crisp cells when scaled up).
struct Rgba8Texture {
  GLuint texture = 0;
  int width = 0, height = 0;
  void upload(int w, int h, const uint8_t* rgba, bool linear = false);
  void destroy();
};

// An RGBA8 colour attachment with its framebuffer.
struct RenderTarget {
  GLuint fbo = 0, texture = 0;
  int width = 0, height = 0;
  void ensure(int w, int h);
  void drawn();  // call after drawing into it: its pixels changed (texture_version)
  void destroy();
};

// Versions of the pixels of the textures made above: the window is redrawn only where it changed
// (damage.h), so a texture's new pixels must count as a change wherever the UI shows it.
// Uploads and drawn() bump a texture's version; false for a texture not made here (the caller
// then treats it as changed every frame).
void note_texture_changed(GLuint texture);
bool texture_version(GLuint texture, uint64_t* version);

}  // namespace rrcnn
