# Session files end to end (issue 23): the studio saves its settings, loads them back, opens
# with them (`rrcnn gui --session FILE` writes the same file again), and the headless commands
# take the same file (`rrcnn render --session FILE`, flags after it win); a bad file is one line
# naming the file and the key. Inputs: RRCNN, XVFB_RUN, SCRIPT (session_settings.script), WORK.
include("${CMAKE_CURRENT_LIST_DIR}/session_steps.cmake")  # a fresh WORK, run()
set(gui "${XVFB_RUN}" -a -s "-screen 0 1280x800x24" "${RRCNN}" gui --backend cpu
        --width 1280 --height 800 --config-dir "${WORK}/config" --output-dir "${WORK}/out")
function(same a b)
  file(READ "${WORK}/${a}" ja)
  file(READ "${WORK}/${b}" jb)
  string(JSON eq EQUAL "${ja}" "${jb}")
  if(NOT eq)
    message(FATAL_ERROR "${a} and ${b} differ:\n${ja}\n${jb}")
  endif()
endfunction()

run("studio: save, change, load, save" ${gui} --script "${SCRIPT}" --report "${WORK}/r1.json")
file(READ "${WORK}/s1.json" s1)
foreach(key "live;seed;5" "live;digits;4" "live;rollout;50" "brush;mode;erase" "view;tile;error"
            "view;colormap;light" "training;batch;16" "view;psnr;ON" "view;captions;OFF")
  list(GET key 0 section)
  list(GET key 1 name)
  list(GET key 2 want)
  string(JSON got GET "${s1}" ${section} ${name})
  if(NOT got STREQUAL want)
    message(FATAL_ERROR "s1.json: ${section}.${name} is '${got}', expected '${want}'")
  endif()
endforeach()
same(s1.json s1b.json)

file(WRITE "${WORK}/save.script" "session-save s2.json\n")
run("studio: --session" ${gui} --session "${WORK}/s1.json" --script "${WORK}/save.script"
    --report "${WORK}/r2.json")
same(s1.json s2.json)

run("render --session" "${RRCNN}" render --session "${WORK}/s1.json" --out "${WORK}/r.gif" --steps 2)
if(NOT EXISTS "${WORK}/r.gif")
  message(FATAL_ERROR "render --session wrote no GIF")
endif()
string(REPLACE "\"psnr\"" "\"psnr_\"" bad "${s1}")
file(WRITE "${WORK}/bad.json" "${bad}")
execute_process(COMMAND "${RRCNN}" eval --session "${WORK}/bad.json" RESULT_VARIABLE rc
                ERROR_VARIABLE err OUTPUT_QUIET)
if(rc EQUAL 0 OR NOT err STREQUAL "rrcnn: error: ${WORK}/bad.json: unknown key 'view.psnr_'\n")
  message(FATAL_ERROR "a bad session file: exit ${rc}, '${err}'")
endif()
message(STATUS "session files: saved, loaded, opened and expanded alike")
