// Window, GL context, ImGui backends and fonts (see platform.h). The order follows Dear ImGui's
// example_glfw_opengl3: GLFW, context, loader, ImGui context, backends; teardown in reverse.
#include "gui/platform.h"

#include <glad/gl.h>
// glad first: GLFW must not pull in the system GL header.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>

#include "gui/panels/theme.h"
#include "imgui.h"
#include "imgui_internal.h"
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"

namespace rrcnn {
namespace {

std::string g_last_glfw_error;
std::vector<std::string> g_drops;
KeyEventQueue g_keys;
bool g_scale_changed = false;
// Counts every input event (pointer, buttons, wheel, keys, text, resize, focus, drops): the frame
// loop keeps drawing for a moment after one and otherwise sleeps until the next.
uint64_t g_input_events = 0;
// The window's contents were lost or resized: the next frame is drawn whole (partial redraw).
bool g_exposed = false;

void on_cursor(GLFWwindow*, double, double) { ++g_input_events; }
// Mouse buttons go the way keys go (key_queue.h): ImGui 1.86 reads a button as "down this
// frame", so a click and the next one delivered within one frame were one click, and a press
// in the frame after a pressed one was no click at all. Each event waits for a frame in which
// its button has not changed yet. Presses keep the time and place they arrived at (see
// judge_double_click).
struct ButtonEvent {
  int button, action;
  double t, x, y;
};
std::deque<ButtonEvent> g_buttons;
bool g_button_down[ImGuiMouseButton_COUNT] = {};
ButtonEvent g_fed_press{0, 0, -1e9, 0, 0}, g_previous_press{0, 0, -1e9, 0, 0};
bool g_left_press_fed = false;

void on_button(GLFWwindow* w, int button, int action, int) {
  ++g_input_events;
  if (button < 0 || button >= ImGuiMouseButton_COUNT) return;
  ButtonEvent e{button, action, glfwGetTime(), 0, 0};
  glfwGetCursorPos(w, &e.x, &e.y);
  g_buttons.push_back(e);
}

// This frame's share of the button events, into io.MouseDown (after the backend's NewFrame,
// which set it from the buttons' state now).
void feed_buttons(GLFWwindow* w) {
  ImGuiIO& io = ImGui::GetIO();
  g_left_press_fed = false;
  if (g_buttons.empty()) {  // nothing held back: the buttons as they are
    for (int b = 0; b < ImGuiMouseButton_COUNT; ++b)
      g_button_down[b] = glfwGetMouseButton(w, b) == GLFW_PRESS;
  }
  bool changed[ImGuiMouseButton_COUNT] = {};
  while (!g_buttons.empty() && !changed[g_buttons.front().button]) {
    const ButtonEvent e = g_buttons.front();
    g_buttons.pop_front();
    const bool down = e.action == GLFW_PRESS;
    if (down == g_button_down[e.button]) continue;  // no change (a lost release, a repeat)
    g_button_down[e.button] = down;
    changed[e.button] = true;
    if (down && e.button == ImGuiMouseButton_Left) {
      g_previous_press = g_fed_press;
      g_fed_press = e;
      g_left_press_fed = true;
    }
  }
  for (int b = 0; b < ImGuiMouseButton_COUNT; ++b) io.MouseDown[b] = g_button_down[b];
}

// ImGui 1.86 counts clicks by frame times; held back one frame per change, and on slow frames
// (llvmpipe under load draws in 100-300 ms), a quick double click took longer than the double
// click time and only selected. When ImGui saw a single click, judge by when and where the
// presses arrived instead.
void judge_double_click() {
  ImGuiIO& io = ImGui::GetIO();
  if (!g_left_press_fed || !io.MouseClicked[0] || io.MouseClickedCount[0] != 1) return;
  const double dx = g_fed_press.x - g_previous_press.x, dy = g_fed_press.y - g_previous_press.y;
  const double max_dist = io.MouseDoubleClickMaxDist;
  if (g_fed_press.t - g_previous_press.t <= io.MouseDoubleClickTime &&
      dx * dx + dy * dy <= max_dist * max_dist) {
    io.MouseClickedCount[0] = 2;
    io.MouseDoubleClicked[0] = true;
  }
}
void on_scroll(GLFWwindow*, double, double) { ++g_input_events; }
void on_char(GLFWwindow*, unsigned int) { ++g_input_events; }
void on_enter(GLFWwindow*, int) { ++g_input_events; }
void on_focus(GLFWwindow*, int) { ++g_input_events; }
void on_size(GLFWwindow*, int, int) {
  ++g_input_events;
  g_exposed = true;
}
void on_refresh(GLFWwindow*) {
  ++g_input_events;
  g_exposed = true;
}

void on_glfw_error(int code, const char* text) {
  g_last_glfw_error =
      std::string(text ? text : "unknown") + " (GLFW error " + std::to_string(code) + ")";
}

void on_drop(GLFWwindow*, int count, const char** paths) {
  for (int i = 0; i < count; ++i) g_drops.emplace_back(paths[i]);
  ++g_input_events;
}

// Keys wait in g_keys and reach ImGui in begin_frame, at most one change per key per frame.
void on_key(GLFWwindow*, int key, int scancode, int action, int mods) {
  g_keys.push({key, scancode, action, mods});
  ++g_input_events;
}

void on_content_scale(GLFWwindow*, float, float) {
  g_scale_changed = true;
}

bool env_set(const char* name) {
  const char* v = std::getenv(name);
  return v && *v;
}

}  // namespace

Platform::~Platform() {
  close();
}

bool Platform::open(const PlatformOptions& opts, OpenFailure* failure, std::string* message) {
  opts_ = opts;
  *failure = OpenFailure::kNone;
#if defined(__linux__) || defined(__FreeBSD__)
  if (!env_set("DISPLAY") && !env_set("WAYLAND_DISPLAY")) {
    *failure = OpenFailure::kNoDisplay;
    *message = "no display found (DISPLAY and WAYLAND_DISPLAY are not set)";
    return false;
  }
#endif
  glfwSetErrorCallback(on_glfw_error);
  if (!glfwInit()) {
    *failure = OpenFailure::kGlfwInit;
    *message = "cannot open the display: " + g_last_glfw_error;
    return false;
  }
  glfw_ready_ = true;
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  window_ = glfwCreateWindow(opts.width, opts.height, opts.title.c_str(), nullptr, nullptr);
  if (!window_) {
    *failure = OpenFailure::kOpenGlVersion;
    *message = "cannot create an OpenGL 3.3 core window: " + g_last_glfw_error +
               ". The studio needs OpenGL 3.3 or newer (update the graphics driver; on a remote "
               "session try Mesa's llvmpipe with LIBGL_ALWAYS_SOFTWARE=1)";
    return false;
  }
  glfwMakeContextCurrent(window_);
  const int gl = gladLoadGL(reinterpret_cast<GLADloadfunc>(glfwGetProcAddress));
  if (!gl) {
    *failure = OpenFailure::kGlad;
    *message = "cannot load the OpenGL functions of this context";
    return false;
  }
  if (GLAD_VERSION_MAJOR(gl) * 10 + GLAD_VERSION_MINOR(gl) < 33) {
    *failure = OpenFailure::kOpenGlVersion;
    *message = "OpenGL " + std::to_string(GLAD_VERSION_MAJOR(gl)) + "." +
               std::to_string(GLAD_VERSION_MINOR(gl)) + " found; the studio needs 3.3 or newer";
    return false;
  }
  renderer_ = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  version_ = reinterpret_cast<const char*>(glGetString(GL_VERSION));
  glfwSwapInterval(opts.vsync ? 1 : 0);
  choose_redraw_mode();
  glfwSetDropCallback(window_, on_drop);
  glfwSetWindowContentScaleCallback(window_, on_content_scale);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  imgui_ready_ = true;
  ImGuiIO& io = ImGui::GetIO();
  // No keyboard navigation: Space and letters are the studio's shortcuts.
  io.ConfigWindowsMoveFromTitleBarOnly = true;
  ini_path_ = opts.ini_path;
  io.IniFilename = ini_path_.empty() ? nullptr : ini_path_.c_str();
  // Installed before ImGui's backend, which calls them from its own (it chains them).
  glfwSetCursorPosCallback(window_, on_cursor);
  glfwSetScrollCallback(window_, on_scroll);
  glfwSetCharCallback(window_, on_char);
  glfwSetCursorEnterCallback(window_, on_enter);
  glfwSetWindowFocusCallback(window_, on_focus);
  glfwSetFramebufferSizeCallback(window_, on_size);
  glfwSetWindowRefreshCallback(window_, on_refresh);
  ImGui_ImplGlfw_InitForOpenGL(window_, true);
  glfwSetKeyCallback(window_, on_key);  // replaces ImGui's, which we call per frame instead
  glfwSetMouseButtonCallback(window_, on_button);  // likewise: feed_buttons hands them over
  ImGui_ImplOpenGL3_Init("#version 330 core");
  build_fonts(opts.font_scale > 0 ? opts.font_scale : content_scale());
  return true;
}

// Partial redraw only where drawing is what costs: a software renderer (on a GPU a full frame
// is cheap, and copying sub-rectangles can stall a compositor). It needs the back buffer to
// survive between frames, which GLX_MESA_copy_sub_buffer gives: it copies a rectangle of the
// back buffer to the window and leaves the back buffer as it is (Mesa's llvmpipe implements it
// as an XShmPutImage of the rectangle). RRCNN_GUI_FULL_REDRAW=1 turns it off (to compare).
void Platform::choose_redraw_mode() {
  const bool software = renderer_.find("llvmpipe") != std::string::npos ||
                        renderer_.find("softpipe") != std::string::npos ||
                        renderer_.find("Software Rasterizer") != std::string::npos;
  if (!software) {
    redraw_mode_ = "full redraw (hardware renderer)";
    return;
  }
  if (env_set("RRCNN_GUI_FULL_REDRAW")) {
    redraw_mode_ = "full redraw (RRCNN_GUI_FULL_REDRAW is set)";
    return;
  }
  if (!glfwExtensionSupported("GLX_MESA_copy_sub_buffer")) {
    redraw_mode_ = "full redraw (no GLX_MESA_copy_sub_buffer)";
    return;
  }
  using DisplayFn = void* (*)();
  using DrawableFn = unsigned long (*)();
  const auto display = reinterpret_cast<DisplayFn>(glfwGetProcAddress("glXGetCurrentDisplay"));
  const auto drawable = reinterpret_cast<DrawableFn>(glfwGetProcAddress("glXGetCurrentDrawable"));
  copy_sub_buffer_ = reinterpret_cast<CopySubBufferFn>(glfwGetProcAddress("glXCopySubBufferMESA"));
  glx_display_ = display ? display() : nullptr;
  glx_drawable_ = drawable ? drawable() : 0;
  partial_ = copy_sub_buffer_ && glx_display_ && glx_drawable_;
  check_ = partial_ && env_set("RRCNN_GUI_REDRAW_CHECK");
  redraw_mode_ = partial_ ? "partial redraw (software renderer, GLX_MESA_copy_sub_buffer)"
                          : "full redraw (GLX entry points not found)";
}

void Platform::close() {
  if (imgui_ready_) {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    imgui_ready_ = false;
  }
  if (window_) {
    glfwDestroyWindow(window_);
    window_ = nullptr;
  }
  if (glfw_ready_) {
    glfwTerminate();
    glfw_ready_ = false;
  }
}

float Platform::content_scale() const {
  float sx = 1, sy = 1;
  glfwGetWindowContentScale(window_, &sx, &sy);
  const float s = sx > sy ? sx : sy;
  return s > 0.5f && s < 8.0f ? s : 1.0f;
}

void Platform::build_fonts(float scale) {
  scale_ = scale;
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  // Rebuilding the atlas at the real pixel size keeps text sharp (FontGlobalScale would blur).
  const float size = std::round(15.0f * scale);
  const char* candidates[] = {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                              "/usr/share/fonts/TTF/DejaVuSans.ttf",
                              "/usr/share/fonts/dejavu/DejaVuSans.ttf"};
  ImFont* font = nullptr;
  for (const char* path : candidates) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
      // Latin-1, Greek (alpha), punctuation (ellipsis, dashes), arrows and geometric shapes.
      static const ImWchar ranges[] = {0x0020, 0x00FF, 0x0370, 0x03FF, 0x2010, 0x205E,
                                       0x2190, 0x21FF, 0x25A0, 0x25FF, 0};
      font = io.Fonts->AddFontFromFileTTF(path, size, nullptr, ranges);
      if (font) break;
    }
  }
  if (!font) {
    ImFontConfig cfg;
    cfg.SizePixels = std::round(13.0f * scale);
    io.Fonts->AddFontDefault(&cfg);
  }
  apply_theme(scale);
  damage_.invalidate();  // every glyph may have moved in the atlas
  if (imgui_ready_) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
}

bool Platform::should_close() const {
  return glfwWindowShouldClose(window_);
}
void Platform::cancel_close() {
  glfwSetWindowShouldClose(window_, GLFW_FALSE);
}
void Platform::request_close() {
  glfwSetWindowShouldClose(window_, GLFW_TRUE);
}
void Platform::set_window_size(int width, int height) {
  glfwSetWindowSize(window_, width, height);
}

void Platform::begin_frame(double wait_s) {
  if (wait_s > 0 && !g_keys.pending() && g_buttons.empty())
    glfwWaitEventsTimeout(wait_s);
  else
    glfwPollEvents();
  for (const KeyEvent& e : g_keys.take_frame()) {
    if (trace_) std::fprintf(stderr, "rrcnn gui: key %d action %d mods %d\n", e.key, e.action, e.mods);
    ImGui_ImplGlfw_KeyCallback(window_, e.key, e.scancode, e.action, e.mods);
  }
  if (g_scale_changed && opts_.font_scale <= 0) {
    g_scale_changed = false;
    const float s = content_scale();
    if (s != scale_) build_fonts(s);
  }
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  feed_buttons(window_);
  if (opts_.ignore_pointer) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    for (bool& b : io.MouseDown) b = false;
    io.MouseWheel = 0;
  }
  ImGui::NewFrame();
  if (!opts_.ignore_pointer) judge_double_click();
  // Esc closes an open menu (or combo): without keyboard navigation ImGui 1.86 leaves it open,
  // and the next click on its title then closed it instead of doing what the user meant. The
  // studio's own dialogs (modal) answer Esc themselves.
  ImGuiContext& g = *ImGui::GetCurrentContext();
  if (!g.OpenPopupStack.empty() && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
    const ImGuiWindow* top = g.OpenPopupStack[0].Window;
    if (top && !(top->Flags & ImGuiWindowFlags_Modal)) {
      ImGui::ClosePopupToLevel(0, true);
      ImGui::FocusWindow(nullptr);
    }
  }
}

void Platform::wait_events(double seconds) {
  if (!g_keys.pending() && g_buttons.empty()) glfwWaitEventsTimeout(seconds);
}

uint64_t Platform::input_events() const {
  return g_input_events;
}

void Platform::inject_keys(const std::vector<KeyEvent>& events) {
  for (const KeyEvent& e : events) g_keys.push(e);
  ++g_input_events;
}

void Platform::inject_text(const std::string& text) {
  ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
}

void Platform::render() {
  ImGui::Render();
  int w = 0, h = 0;
  glfwGetFramebufferSize(window_, &w, &h);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  glViewport(0, 0, w, h);
  static const float kClear[3] = {0.055f, 0.06f, 0.07f};
  ImDrawData* dd = ImGui::GetDrawData();
  // Partial redraw needs the backend's scissors in whole pixels (no HiDPI scaling of the draw
  // data; X11 never has any) and draw data that starts at the window's corner.
  partial_frame_ = partial_ && dd->FramebufferScale.x == 1.0f && dd->FramebufferScale.y == 1.0f &&
                   dd->DisplayPos.x == 0.0f && dd->DisplayPos.y == 0.0f;
  if (!partial_frame_) {
    damage_.invalidate();
    glClearColor(kClear[0], kClear[1], kClear[2], 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(dd);
    redrawn_fraction_ = 1.0;
    redrawn_sum_ += 1.0;
    ++frames_;
    return;
  }
  if (g_exposed) {
    g_exposed = false;
    damage_.invalidate();
  }
  const uintptr_t font = reinterpret_cast<uintptr_t>(ImGui::GetIO().Fonts->TexID);
  for (const PixelRect& r : damage_.compute(*dd, w, h, uint64_t(font))) damage_.draw(dd, r, h, kClear);
  if (check_) check_partial_frame(dd, w, h, kClear);
  redrawn_fraction_ = damage_.damaged_fraction();
  redrawn_sum_ += redrawn_fraction_;
  ++frames_;
  if (damage_.rects().empty()) ++unchanged_frames_;
}

// The partial frame read back, then the whole frame drawn over it in the same buffer (a buffer
// of another format may round blending differently) and read back: they must be equal.
void Platform::check_partial_frame(ImDrawData* dd, int w, int h, const float clear_rgb[3]) {
  const auto read = [&](std::vector<uint8_t>* px) {
    px->assign(size_t(w) * h * 3, 0);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, px->data());
  };
  std::vector<uint8_t> partial, whole;
  read(&partial);
  glClearColor(clear_rgb[0], clear_rgb[1], clear_rgb[2], 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(dd);
  read(&whole);
  ++checked_frames_;
  if (partial != whole) {
    if (first_mismatch_ < 0) first_mismatch_ = frames_;
    ++mismatched_frames_;
  }
}

void Platform::swap() {
  if (!partial_frame_) {
    glfwSwapBuffers(window_);
    // The back buffer is undefined after a swap: the next partial frame starts whole.
    damage_.invalidate();
    return;
  }
  const int h = framebuffer_height();
  for (const PixelRect& r : damage_.rects())
    copy_sub_buffer_(glx_display_, glx_drawable_, r.x, h - (r.y + r.h), r.w, r.h);
}

int Platform::framebuffer_width() const {
  int w = 0, h = 0;
  glfwGetFramebufferSize(window_, &w, &h);
  return w;
}

int Platform::framebuffer_height() const {
  int w = 0, h = 0;
  glfwGetFramebufferSize(window_, &w, &h);
  return h;
}

std::vector<std::string> Platform::take_drops() {
  std::vector<std::string> d;
  d.swap(g_drops);
  return d;
}

}  // namespace rrcnn
