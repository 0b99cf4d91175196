// The window and everything under the UI: GLFW (window, OpenGL 3.3 core context, input, file
// drops), GLAD (GL entry points), Dear ImGui's GLFW + OpenGL 3 backends, the font atlas built
// at the monitor's content scale (rebuilt when it changes) and imgui.ini in the user's config
// directory. open() reports a missing display or an old OpenGL as a message, never a crash.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gui/key_queue.h"
#include "gui/rendering/imgui_damage.h"

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
  // Renders ImGui's draw data into the default framebuffer (does not swap). With software
  // OpenGL (llvmpipe) and GLX_MESA_copy_sub_buffer, only the parts that changed since the last
  // frame are drawn (imgui_damage.h); the back buffer always holds the whole frame.
  void render();
  // Shows the frame: swaps, or in partial mode copies the changed parts to the window.
  void swap();
  // How frames are drawn ("partial redraw ..." or "full redraw ...") and the share of the
  // window the last frame redrew (1 for a full redraw, 0 when nothing changed).
  std::string redraw_mode() const { return redraw_mode_; }
  double redrawn_fraction() const { return redrawn_fraction_; }
  // Over all frames so far: the mean share redrawn, and the frames with nothing to redraw.
  double mean_redrawn_fraction() const { return frames_ ? redrawn_sum_ / double(frames_) : 0.0; }
  long long unchanged_frames() const { return unchanged_frames_; }
  // RRCNN_GUI_REDRAW_CHECK=1 (tests): every partial frame is read back, drawn whole and
  // compared pixel for pixel; frames compared, frames that differed, and the first such frame.
  long long checked_frames() const { return checked_frames_; }
  long long mismatched_frames() const { return mismatched_frames_; }
  long long first_mismatch() const { return first_mismatch_; }

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
  void choose_redraw_mode();

  // Partial redraw (software OpenGL under GLX): the back buffer is never swapped, so it keeps
  // the last frame; glXCopySubBufferMESA shows the changed rectangles.
  using CopySubBufferFn = void (*)(void* display, unsigned long drawable, int x, int y, int w, int h);
  CopySubBufferFn copy_sub_buffer_ = nullptr;
  void* glx_display_ = nullptr;
  unsigned long glx_drawable_ = 0;
  bool partial_ = false, partial_frame_ = false;
  ImGuiDamage damage_;
  std::string redraw_mode_ = "full redraw";
  double redrawn_fraction_ = 1.0, redrawn_sum_ = 0.0;
  long long frames_ = 0, unchanged_frames_ = 0;
  bool check_ = false;
  long long checked_frames_ = 0, mismatched_frames_ = 0, first_mismatch_ = -1;
  void check_partial_frame(ImDrawData* dd, int w, int h, const float clear_rgb[3]);

  GLFWwindow* window_ = nullptr;
  bool glfw_ready_ = false, imgui_ready_ = false;
  PlatformOptions opts_;
  std::string ini_path_;  // kept alive: ImGui stores the pointer
  float scale_ = 1.0f;
  bool trace_ = false;
  std::string renderer_, version_;
};

}  // namespace rrcnn
