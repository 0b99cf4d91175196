// The window and everything under the UI: GLFW (window, OpenGL 3.3 core context, input, file
// drops), GLAD (GL entry points), Dear ImGui's GLFW + OpenGL 3 backends, the font atlas built
// at the monitor's content scale (rebuilt when it changes) and imgui.ini in the user's config
// directory. open() reports a missing display or an old OpenGL as a message, never a crash.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gui/key_queue.h"

struct GLFWwindow;

namespace rrcnn {

struct PlatformOptions {
  int width = 1600, height = 960;
  std::string title = "RRCNN Studio";
  std::string ini_path;  // empty: layout not saved
  float font_scale = 0;  // 0: from the content scale
  bool vsync = true;
  bool ignore_pointer = false;  // scripted runs: the real mouse must not hover or click
};

// Why no window could be opened, for the message the user sees.
enum class OpenFailure { kNone, kNoDisplay, kGlfwInit, kOpenGlVersion, kGlad };

class Platform {
 public:
  Platform() = default;
  ~Platform();
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;

  // False with a one-paragraph explanation in *message on failure.
  bool open(const PlatformOptions& opts, OpenFailure* failure, std::string* message);
  void close();

  bool should_close() const;
  void cancel_close();
  void request_close();  // as if the user closed the window
  void set_window_size(int width, int height);  // as if the user resized it (scripts)
  // Polls (or waits up to `wait_s` when > 0 and no key events are held back) for events, hands
  // this frame's share of the key events to ImGui (key_queue.h) and starts an ImGui frame;
  // rebuilds the fonts first when the content scale changed.
  void begin_frame(double wait_s);
  // Waits up to `seconds` for an event (no frame is started).
  void wait_events(double seconds);
  // Input events so far (pointer, keys, resize...): a change means the user did something.
  uint64_t input_events() const;
  // Key events as if typed (scripted runs); they go through the same queue as real ones.
  void inject_keys(const std::vector<KeyEvent>& events);
  // Prints every key event handed to ImGui (RRCNN_GUI_TRACE).
  void set_trace(bool on) { trace_ = on; }
  // Characters as if typed into the focused text field (scripted runs).
  void inject_text(const std::string& text);
  // Renders ImGui's draw data into the default framebuffer (does not swap).
  void render();
  void swap();

  int framebuffer_width() const;
  int framebuffer_height() const;
  float ui_scale() const { return scale_; }
  std::string gl_renderer() const { return renderer_; }
  std::string gl_version() const { return version_; }
  // Paths dropped onto the window since the last call.
  std::vector<std::string> take_drops();
  GLFWwindow* window() const { return window_; }

 private:
  void build_fonts(float scale);
  float content_scale() const;

  GLFWwindow* window_ = nullptr;
  bool glfw_ready_ = false, imgui_ready_ = false;
  PlatformOptions opts_;
  std::string ini_path_;  // kept alive: ImGui stores the pointer
  float scale_ = 1.0f;
  bool trace_ = false;
  std::string renderer_, version_;
};

}  // namespace rrcnn
