# Decides whether the desktop GUI is built and finds what it needs: GLFW 3, Dear ImGui (Debian's
# libimgui-dev, whose static library already contains the GLFW and OpenGL 3 backends), the
# `glad` generator (python3-glad; the loader is generated at build time, nothing committed) and
# OpenGL. RRCNN_GUI = AUTO builds it when everything is there and says what is missing otherwise;
# ON makes a missing piece an error; OFF skips it.
# Sets (CACHE INTERNAL, so app/ and tests/ see the same answer): RRCNN_GUI_ENABLED,
# RRCNN_GUI_MSG, RRCNN_GLAD_EXECUTABLE, RRCNN_XVFB_RUN (for the smoke test; may be empty).

include_guard(GLOBAL)
set(_gui_missing "")
set(_gui_enabled FALSE)

if(RRCNN_GUI STREQUAL "OFF")
  set(RRCNN_GUI_ENABLED FALSE CACHE INTERNAL "GUI is built")
  set(RRCNN_GUI_MSG "off (RRCNN_GUI=OFF)" CACHE INTERNAL "GUI status line")
  return()
endif()

find_package(PkgConfig QUIET)

# GLFW: pkg-config first (Debian's libglfw3-dev), then the CMake package glfw3 installs.
set(_glfw_found FALSE)
if(PkgConfig_FOUND)
  pkg_check_modules(RRCNN_GLFW QUIET IMPORTED_TARGET GLOBAL glfw3>=3.3)
  if(RRCNN_GLFW_FOUND)
    add_library(rrcnn_glfw INTERFACE)
    target_link_libraries(rrcnn_glfw INTERFACE PkgConfig::RRCNN_GLFW)
    set(_glfw_found TRUE)
  endif()
endif()
if(NOT _glfw_found)
  find_package(glfw3 3.3 CONFIG QUIET)
  if(glfw3_FOUND)
    add_library(rrcnn_glfw INTERFACE)
    target_link_libraries(rrcnn_glfw INTERFACE glfw)
    set(_glfw_found TRUE)
  endif()
endif()
if(NOT _glfw_found)
  list(APPEND _gui_missing "GLFW 3.3 (apt install libglfw3-dev)")
endif()

# Dear ImGui with its GLFW and OpenGL 3 backends.
set(_imgui_found FALSE)
if(PkgConfig_FOUND)
  pkg_check_modules(RRCNN_IMGUI QUIET IMPORTED_TARGET GLOBAL imgui)
endif()
if(RRCNN_IMGUI_FOUND)
  find_path(RRCNN_IMGUI_BACKENDS imgui_impl_opengl3.h
            HINTS ${RRCNN_IMGUI_INCLUDE_DIRS} PATH_SUFFIXES backends)
  if(RRCNN_IMGUI_BACKENDS)
    add_library(rrcnn_imgui INTERFACE)
    target_link_libraries(rrcnn_imgui INTERFACE PkgConfig::RRCNN_IMGUI)
    target_include_directories(rrcnn_imgui INTERFACE ${RRCNN_IMGUI_BACKENDS})
    set(_imgui_found TRUE)
  endif()
endif()
if(NOT _imgui_found)
  list(APPEND _gui_missing "Dear ImGui with backends (apt install libimgui-dev)")
endif()

find_program(RRCNN_GLAD_EXECUTABLE glad)
if(NOT RRCNN_GLAD_EXECUTABLE)
  list(APPEND _gui_missing "the glad generator (apt install python3-glad)")
endif()

set(OpenGL_GL_PREFERENCE GLVND)
find_package(OpenGL QUIET)
if(NOT OpenGL_OpenGL_FOUND AND NOT OPENGL_FOUND)
  list(APPEND _gui_missing "OpenGL (apt install libgl-dev)")
endif()

# The GUI tests run the studio on a private Xvfb through tests/gui/xvfb_exec.sh (xvfb-run's
# options, the command's own exit status: xvfb-run's clean-up can fail after a passing run).
find_program(RRCNN_XVFB Xvfb)
if(RRCNN_XVFB)
  set(RRCNN_XVFB_RUN "${PROJECT_SOURCE_DIR}/tests/gui/xvfb_exec.sh" CACHE INTERNAL
      "runs a command under Xvfb for the GUI tests")
else()
  set(RRCNN_XVFB_RUN "" CACHE INTERNAL "runs a command under Xvfb for the GUI tests")
endif()

if(_gui_missing)
  list(JOIN _gui_missing ", " _gui_missing_text)
  if(RRCNN_GUI STREQUAL "ON")
    message(FATAL_ERROR "RRCNN_GUI=ON but the GUI cannot be built; missing: ${_gui_missing_text}")
  endif()
  set(RRCNN_GUI_ENABLED FALSE CACHE INTERNAL "GUI is built")
  set(RRCNN_GUI_MSG "off (missing ${_gui_missing_text})" CACHE INTERNAL "GUI status line")
else()
  set(RRCNN_GUI_ENABLED TRUE CACHE INTERNAL "GUI is built")
  set(RRCNN_GUI_MSG "on (GLFW, ImGui ${RRCNN_IMGUI_VERSION}, glad)" CACHE INTERNAL "GUI status line")
endif()
