# Runs `rrcnn gui` where no window can be opened and checks it fails cleanly: exit code 3 (not a
# crash), a message saying why (EXPECT, a regular expression) and the headless commands named.
# Inputs: RRCNN, EXPECT, and optionally XVFB_RUN + GL_OVERRIDE (OpenGL too old under Xvfb),
# NO_GUI_WORD (plain `rrcnn --flags`: the gui flags work without the word `gui`).
set(gui_word gui)
if(NO_GUI_WORD)
  set(gui_word)
endif()
if(XVFB_RUN)
  set(cmd ${CMAKE_COMMAND} -E env MESA_GL_VERSION_OVERRIDE=${GL_OVERRIDE}
          "${XVFB_RUN}" -a "${RRCNN}" ${gui_word} --frames 3 --config-dir "${WORK}")
else()
  set(cmd ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY "${RRCNN}" ${gui_word} --config-dir "${WORK}")
endif()
execute_process(COMMAND ${cmd} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
message(STATUS "exit code ${rc}\n${out}${err}")
if(NOT rc EQUAL 3)
  message(FATAL_ERROR "expected exit code 3, got '${rc}'")
endif()
if(NOT err MATCHES "${EXPECT}")
  message(FATAL_ERROR "the message does not say why (expected /${EXPECT}/)")
endif()
if(NOT err MATCHES "rrcnn train" OR NOT err MATCHES "rrcnn render")
  message(FATAL_ERROR "the message does not name the headless commands")
endif()
