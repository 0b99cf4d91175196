# GUI smoke test (cmake -P): runs `rrcnn gui` under Xvfb (xvfb_exec.sh) with smoke.script, then checks the
# report the app writes: the picture is not blank, the painted cell changed on screen (erased:
# dark; drawn: white) and in the state, training ran and stopped, and nothing went wrong.
# Inputs: RRCNN (the executable), XVFB_RUN, SCRIPT, WORK (scratch directory).
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(report "${WORK}/report.json")
set(shot "${WORK}/smoke.png")
execute_process(
  COMMAND "${XVFB_RUN}" -a -s "-screen 0 1280x800x24"
          "${RRCNN}" gui --preset lite --batch 4 --backend cpu --width 1280 --height 800
          --frames 60 --script "${SCRIPT}" --screenshot "${shot}" --report "${report}"
          --config-dir "${WORK}/config"
  WORKING_DIRECTORY "${WORK}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  TIMEOUT 150)
message(STATUS "rrcnn gui exit code: ${rc}\n${out}${err}")
if(NOT EXISTS "${report}")
  message(FATAL_ERROR "the GUI wrote no report (exit code ${rc})")
endif()
file(READ "${report}" json)
message(STATUS "report: ${json}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "rrcnn gui exited with ${rc}")
endif()

macro(get var)
  string(JSON ${var} GET "${json}" ${ARGN})
endmacro()
function(fail msg)
  message(FATAL_ERROR "smoke test: ${msg}")
endfunction()

string(JSON errors_n LENGTH "${json}" errors)
string(JSON failures_n LENGTH "${json}" script_failures)
if(NOT (errors_n EQUAL 0))
  fail("the session reported errors")
endif()
if(NOT (failures_n EQUAL 0))
  fail("the script did not finish its waits")
endif()

get(width screenshot width)
get(stddev screenshot stddev)
if(NOT (width GREATER 0))
  fail("no screenshot was taken")
endif()
if(NOT (EXISTS ${shot}))
  fail("the screenshot file is missing")
endif()
# A blank (single-colour) window has stddev 0; the studio's panels and digits give far more.
if(NOT (stddev GREATER 10))
  fail("the picture is blank (stddev ${stddev})")
endif()

foreach(p before erased drawn)
  get(on_screen probes ${p} on_screen)
  if(NOT (on_screen STREQUAL ON))
    fail("probe '${p}' was not on the live grid")
  endif()
endforeach()
get(erased_r probes erased rgb 0)
get(drawn_r probes drawn rgb 0)
get(erased_v probes erased value)
get(drawn_v probes drawn value)
if(NOT (erased_r LESS 30))
  fail("the erased cell is not dark on screen (red ${erased_r})")
endif()
if(NOT (drawn_r GREATER 225))
  fail("the drawn cell is not white on screen (red ${drawn_r})")
endif()
if(NOT (erased_v EQUAL 0))
  fail("the erased cell's image channel is ${erased_v}, not 0")
endif()
if(NOT (drawn_v GREATER 0.99))
  fail("the drawn cell's image channel is ${drawn_v}, not 1")
endif()

# The report's measurements: frame times, live steps/s while playing, PSNR per digit.
get(frame_count frame_ms count)
get(frame_p95 frame_ms p95)
get(live_rate_n live_steps_per_s count)
get(live_rate live_steps_per_s max)
string(JSON psnr_n LENGTH "${json}" psnr)
if(NOT (frame_count GREATER 10 AND frame_p95 GREATER 0))
  fail("no frame times in the report")
endif()
if(NOT (live_rate_n GREATER 0 AND live_rate GREATER 0))
  fail("no live steps/s in the report")
endif()
if(NOT (psnr_n EQUAL 4))
  fail("the report has ${psnr_n} PSNR values for 4 digits")
endif()

get(train_steps train_steps)
get(train_state train_state)
if(NOT (train_steps GREATER_EQUAL 2))
  fail("training ran ${train_steps} steps")
endif()
if(NOT (train_state MATCHES "^finished"))
  fail("training ended as '${train_state}'")
endif()
message(STATUS "GUI smoke test passed: ${train_steps} training steps, screenshot stddev ${stddev}")
