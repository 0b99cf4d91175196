// OpenGL helpers (see gl_util.h).
#include "gui/rendering/gl_util.h"

#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace rrcnn {
namespace {

std::string shader_log(GLuint obj, bool program) {
  GLint len = 0;
  if (program)
    glGetProgramiv(obj, GL_INFO_LOG_LENGTH, &len);
  else
    glGetShaderiv(obj, GL_INFO_LOG_LENGTH, &len);
  std::vector<char> log(size_t(len > 1 ? len : 1), '\0');
  if (program)
    glGetProgramInfoLog(obj, len, nullptr, log.data());
  else
    glGetShaderInfoLog(obj, len, nullptr, log.data());
  return std::string(log.data());
}

GLuint compile(GLenum type, const char* src, const char* name) {
  const GLuint s = glCreateShader(type);
  glShaderSource(s, 1, &src, nullptr);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    const std::string log = shader_log(s, false);
    glDeleteShader(s);
    RRCNN_FAIL("shader '" << name << "' (" << (type == GL_VERTEX_SHADER ? "vertex" : "fragment")
                          << ") does not compile: " << log);
  }
  return s;
}

}  // namespace

GLuint compile_program(const char* vertex_src, const char* fragment_src, const char* name) {
  const GLuint vs = compile(GL_VERTEX_SHADER, vertex_src, name);
  GLuint fs = 0;
  try {
    fs = compile(GL_FRAGMENT_SHADER, fragment_src, name);
  } catch (...) {
    glDeleteShader(vs);
    throw;
  }
  const GLuint p = glCreateProgram();
  glAttachShader(p, vs);
  glAttachShader(p, fs);
  glLinkProgram(p);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(p, GL_LINK_STATUS, &ok);
  if (!ok) {
    const std::string log = shader_log(p, true);
    glDeleteProgram(p);
    RRCNN_FAIL("shader program '" << name << "' does not link: " << log);
  }
  return p;
}

void FloatBufferTexture::upload(const float* data, size_t count) {
  if (!buffer) {
    glGenBuffers(1, &buffer);
    glGenTextures(1, &texture);
  }
  glBindBuffer(GL_TEXTURE_BUFFER, buffer);
  if (count > capacity) {
    glBufferData(GL_TEXTURE_BUFFER, GLsizeiptr(count * sizeof(float)), data, GL_STREAM_DRAW);
    capacity = count;
    glBindTexture(GL_TEXTURE_BUFFER, texture);
    glTexBuffer(GL_TEXTURE_BUFFER, GL_R32F, buffer);
    glBindTexture(GL_TEXTURE_BUFFER, 0);
  } else if (count > 0) {
    glBufferSubData(GL_TEXTURE_BUFFER, 0, GLsizeiptr(count * sizeof(float)), data);
  }
  glBindBuffer(GL_TEXTURE_BUFFER, 0);
}

void FloatBufferTexture::destroy() {
  if (texture) glDeleteTextures(1, &texture);
  if (buffer) glDeleteBuffers(1, &buffer);
  texture = buffer = 0;
  capacity = 0;
}

namespace {
std::unordered_map<GLuint, uint64_t> g_versions;  // GL thread only
uint64_t g_next_version = 1;
void forget_texture(GLuint texture) { g_versions.erase(texture); }
}  // namespace

void note_texture_changed(GLuint texture) {
  if (texture) g_versions[texture] = g_next_version++;
}

bool texture_version(GLuint texture, uint64_t* version) {
  const auto it = g_versions.find(texture);
  if (it == g_versions.end()) return false;
  *version = it->second;
  return true;
}

void Rgba8Texture::upload(int w, int h, const uint8_t* rgba, bool linear) {
  if (!texture) glGenTextures(1, &texture);
  note_texture_changed(texture);
  glBindTexture(GL_TEXTURE_2D, texture);
  const GLint filter = linear ? GL_LINEAR : GL_NEAREST;
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  if (w != width || h != height)
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  else
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  width = w;
  height = h;
  glBindTexture(GL_TEXTURE_2D, 0);
}

void Rgba8Texture::destroy() {
  forget_texture(texture);
  if (texture) glDeleteTextures(1, &texture);
  texture = 0;
  width = height = 0;
}

void RenderTarget::ensure(int w, int h) {
  if (fbo && w == width && h == height) return;
  destroy();
  glGenTextures(1, &texture);
  glBindTexture(GL_TEXTURE_2D, texture);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  note_texture_changed(texture);
  glGenFramebuffers(1, &fbo);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture, 0);
  const GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  glBindTexture(GL_TEXTURE_2D, 0);
  RRCNN_CHECK(status == GL_FRAMEBUFFER_COMPLETE, "render target " << w << "x" << h
                                                                  << " is incomplete (status 0x"
                                                                  << std::hex << status << ")");
  width = w;
  height = h;
}

void RenderTarget::drawn() {
  note_texture_changed(texture);
}

void RenderTarget::destroy() {
  forget_texture(texture);
  if (fbo) glDeleteFramebuffers(1, &fbo);
  if (texture) glDeleteTextures(1, &texture);
  fbo = texture = 0;
  width = height = 0;
}

}  // namespace rrcnn
