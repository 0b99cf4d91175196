# Runs the real studio under Xvfb with a script and checks its JSON report against expectations
# (cmake -P). Inputs: RRCNN, XVFB_RUN, SCRIPT, WORK (scratch directory, also the working
# directory), ARGS (extra `rrcnn gui` flags, a ;-list), EXPECT (checks: see check_report.cmake),
# SETUP (optional): a cmake script run first with WORK defined (to prepare files), ENV
# (optional): VAR=VALUE settings for the studio's environment, <WORK> standing for WORK.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
if(SETUP)
  include("${SETUP}")
endif()
set(report "${WORK}/report.json")
string(REPLACE "<WORK>" "${WORK}" env "${ENV}")
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env ${env} "${XVFB_RUN}" -a -s "-screen 0 1280x800x24"
          "${RRCNN}" gui --backend cpu --width 1280 --height 800 --frames 30
          --script "${SCRIPT}" --report "${report}" --config-dir "${WORK}/config" ${ARGS}
  WORKING_DIRECTORY "${WORK}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  TIMEOUT 170)
message(STATUS "rrcnn gui exit code: ${rc}\n${out}${err}")
if(NOT EXISTS "${report}")
  message(FATAL_ERROR "the GUI wrote no report (exit code ${rc})")
endif()
set(REPORT "${report}")
set(RC "${rc}")
include("${CMAKE_CURRENT_LIST_DIR}/check_report.cmake")
if(POST)  # optional: checks of the files the session wrote (WORK, RRCNN defined)
  include("${POST}")
endif()
message(STATUS "script check passed: ${SCRIPT}")
