// A headless OpenGL context through EGL for the interop tests, with libEGL loaded at run time
// (dlopen) and every GL function fetched through eglGetProcAddress: nothing to link, no EGL or
// GL headers needed (the lent GPU machines have none). The device platform
// (EGL_EXT_platform_device) is tried first, as NVIDIA's headless driver offers it, then the
// default display; the context is surfaceless (EGL_KHR_surfaceless_context).
#pragma once

#include <dlfcn.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace rrcnn {
namespace test {

struct GlFunctions {
  using Enum = unsigned int;
  void (*GenBuffers)(int, unsigned int*) = nullptr;
  void (*DeleteBuffers)(int, const unsigned int*) = nullptr;
  void (*BindBuffer)(Enum, unsigned int) = nullptr;
  void (*BufferData)(Enum, intptr_t, const void*, Enum) = nullptr;
  void (*BufferSubData)(Enum, intptr_t, intptr_t, const void*) = nullptr;
  void (*GetBufferSubData)(Enum, intptr_t, intptr_t, void*) = nullptr;
  void (*Finish)() = nullptr;
  Enum (*GetError)() = nullptr;
  const unsigned char* (*GetString)(Enum) = nullptr;
  static constexpr Enum kArrayBuffer = 0x8892, kDynamicDraw = 0x88E8, kRenderer = 0x1F01,
                        kVersion = 0x1F02;
};

class EglContext {
 public:
  // False with the reason when no OpenGL context can be made (no libEGL, no GL-capable
  // display): the interop cannot be exercised on this machine.
  bool create(std::string* why) {
    lib_ = dlopen("libEGL.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib_) return fail(why, std::string("libEGL.so.1 does not load: ") + dlerror());
    if (!load(&GetProcAddress, "eglGetProcAddress") || !load(&GetDisplay, "eglGetDisplay") ||
        !load(&Initialize, "eglInitialize") || !load(&BindAPI, "eglBindAPI") ||
        !load(&ChooseConfig, "eglChooseConfig") || !load(&CreateContext, "eglCreateContext") ||
        !load(&MakeCurrent, "eglMakeCurrent") || !load(&DestroyContext, "eglDestroyContext") ||
        !load(&Terminate, "eglTerminate") || !load(&GetError, "eglGetError") ||
        !load(&QueryString, "eglQueryString"))
      return fail(why, "libEGL.so.1 lacks a core EGL 1.4 function");
    display_ = device_display();
    if (!display_) display_ = GetDisplay(nullptr);  // EGL_DEFAULT_DISPLAY
    int major = 0, minor = 0;
    if (!display_ || !Initialize(display_, &major, &minor))
      return fail(why, "no EGL display (" + error() + ")");
    initialized_ = true;
    vendor_ = QueryString(display_, kVendor) ? QueryString(display_, kVendor) : "?";
    if (!BindAPI(kOpenGlApi)) return fail(why, "EGL has no desktop OpenGL (" + error() + ")");
    const int config_attribs[] = {kSurfaceType, kPbufferBit, kRenderableType, kOpenGlBit, kNone};
    void* config = nullptr;
    int configs = 0;
    if (!ChooseConfig(display_, config_attribs, &config, 1, &configs) || configs < 1)
      return fail(why, "no EGL config with OpenGL (" + error() + ")");
    const int context_attribs[] = {kContextMajor, 3, kContextMinor, 3, kNone};
    context_ = CreateContext(display_, config, nullptr, context_attribs);
    if (!context_) return fail(why, "no OpenGL 3.3 context (" + error() + ")");
    if (!MakeCurrent(display_, nullptr, nullptr, context_))
      return fail(why, "cannot make the context current without a surface (" + error() + ")");
    if (!gl_load(&gl.GenBuffers, "glGenBuffers") || !gl_load(&gl.DeleteBuffers, "glDeleteBuffers") ||
        !gl_load(&gl.BindBuffer, "glBindBuffer") || !gl_load(&gl.BufferData, "glBufferData") ||
        !gl_load(&gl.BufferSubData, "glBufferSubData") ||
        !gl_load(&gl.GetBufferSubData, "glGetBufferSubData") || !gl_load(&gl.Finish, "glFinish") ||
        !gl_load(&gl.GetError, "glGetError") || !gl_load(&gl.GetString, "glGetString"))
      return fail(why, "the context lacks a GL 1.5 buffer function");
    return true;
  }

  ~EglContext() {
    if (context_) {
      MakeCurrent(display_, nullptr, nullptr, nullptr);
      DestroyContext(display_, context_);
    }
    if (initialized_) Terminate(display_);
    // libEGL stays loaded: drivers do not like being unloaded.
  }

  std::string description() const {
    const unsigned char* r = gl.GetString ? gl.GetString(GlFunctions::kRenderer) : nullptr;
    const unsigned char* v = gl.GetString ? gl.GetString(GlFunctions::kVersion) : nullptr;
    return "EGL " + vendor_ + ", GL " + (v ? reinterpret_cast<const char*>(v) : "?") + " on " +
           (r ? reinterpret_cast<const char*>(r) : "?");
  }

  GlFunctions gl;

 private:
  static constexpr int kNone = 0x3038, kSurfaceType = 0x3033, kPbufferBit = 0x0001,
                       kRenderableType = 0x3040, kOpenGlBit = 0x0008, kOpenGlApi = 0x30A2,
                       kContextMajor = 0x3098, kContextMinor = 0x30FB, kVendor = 0x3053,
                       kExtensions = 0x3055, kPlatformDevice = 0x313F;

  template <typename F>
  bool load(F* f, const char* name) {
    *f = reinterpret_cast<F>(dlsym(lib_, name));
    return *f != nullptr;
  }
  template <typename F>
  bool gl_load(F* f, const char* name) {
    *f = reinterpret_cast<F>(GetProcAddress(name));
    return *f != nullptr;
  }
  static bool fail(std::string* why, const std::string& text) {
    if (why) *why = text;
    return false;
  }
  std::string error() const {
    char buf[32];
    std::snprintf(buf, sizeof buf, "EGL error 0x%x", GetError ? unsigned(GetError()) : 0u);
    return buf;
  }

  // The first EGL device's display, when the client offers the device platform.
  void* device_display() {
    const char* ext = QueryString(nullptr, kExtensions);  // client extensions
    if (!ext || std::string(ext).find("EGL_EXT_platform_device") == std::string::npos)
      return nullptr;
    using QueryDevices = unsigned (*)(int, void**, int*);
    using PlatformDisplay = void* (*)(unsigned, void*, const int*);
    auto query = reinterpret_cast<QueryDevices>(GetProcAddress("eglQueryDevicesEXT"));
    auto platform = reinterpret_cast<PlatformDisplay>(GetProcAddress("eglGetPlatformDisplayEXT"));
    if (!query || !platform) return nullptr;
    void* devices[8] = {};
    int count = 0;
    if (!query(8, devices, &count) || count < 1) return nullptr;
    return platform(kPlatformDevice, devices[0], nullptr);
  }

  void* lib_ = nullptr;
  void* display_ = nullptr;
  void* context_ = nullptr;
  bool initialized_ = false;
  std::string vendor_;
  void* (*GetProcAddress)(const char*) = nullptr;
  void* (*GetDisplay)(void*) = nullptr;
  unsigned (*Initialize)(void*, int*, int*) = nullptr;
  unsigned (*BindAPI)(unsigned) = nullptr;
  unsigned (*ChooseConfig)(void*, const int*, void**, int, int*) = nullptr;
  void* (*CreateContext)(void*, void*, void*, const int*) = nullptr;
  unsigned (*MakeCurrent)(void*, void*, void*, void*) = nullptr;
  unsigned (*DestroyContext)(void*, void*) = nullptr;
  unsigned (*Terminate)(void*) = nullptr;
  int (*GetError)() = nullptr;
  const char* (*QueryString)(void*, int) = nullptr;
};

}  // namespace test
}  // namespace rrcnn
