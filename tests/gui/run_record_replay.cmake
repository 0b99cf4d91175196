# Record and replay (issue 23): the real studio plays in real time under Xvfb while a script
# paints, erases and changes settings (record_drive.script) with --record; then the recording is
# replayed twice, headless (`rrcnn render --script`) and in the studio with a GIF around it.
# All three end in the same live state (hash) and the two GIFs are the same bytes.
# Inputs: RRCNN, XVFB_RUN, DRIVE (the script), WORK.
include("${CMAKE_CURRENT_LIST_DIR}/session_steps.cmake")  # a fresh WORK, run()
set(gui "${XVFB_RUN}" -a -s "-screen 0 1280x800x24" "${RRCNN}" gui --backend cpu --threads 2
        --width 1280 --height 800 --config-dir "${WORK}/config" --output-dir "${WORK}/out")
function(hash_of report var)
  file(READ "${report}" text)
  string(JSON h GET "${text}" live_state_hash)
  if(NOT h MATCHES "^[0-9a-f]+$")
    message(FATAL_ERROR "${report}: no live_state_hash")
  endif()
  set(${var} "${h}" PARENT_SCOPE)
endfunction()

# 1. The session, recorded.
run("recording" ${gui} --script "${DRIVE}" --record "${WORK}/rec.script" --report "${WORK}/rec.json")
hash_of("${WORK}/rec.json" recorded)
file(READ "${WORK}/rec.script" rec)
foreach(want "\nrestore [0-9]+ [0-9]+ [0-9]+\n" "\nstroke-at 0 10.5 10.5 " "\nstroke-at 2 .* erase "
             "\ndropout 0.3\n" "\nnoise 0.4\n" "\nnew-digits\n" "\nseed 7\n" "\nreset\n"
             "\nbrush noise 2\n" "\nstep [0-9]+\n" "\nblank\n" "\nadd-noise\n"
             "^[^\n]*\n[^\n]*\n[^\n]*\n[^\n]*\nrecorded\n")
  if(NOT rec MATCHES "${want}")
    message(FATAL_ERROR "the recording has no line matching '${want}':\n${rec}")
  endif()
endforeach()
if(rec MATCHES "NOT EXACT")
  message(FATAL_ERROR "the recording says it is not exact:\n${rec}")
endif()

# 2. Headless.
run("headless replay" "${RRCNN}" render --script "${WORK}/rec.script" --out "${WORK}/headless.gif"
    --backend cpu --threads 2 --report "${WORK}/headless.json")
hash_of("${WORK}/headless.json" headless)

# 3. In the studio, with a GIF from the recording's start to its end (as render --script makes).
string(REGEX REPLACE "\n(restore [^\n]*)\n" "\n\\1\ngif ${WORK}/studio.gif\n" replay "${rec}")
file(WRITE "${WORK}/replay.script" "captions off\n${replay}gif-stop\n")
run("studio replay" ${gui} --script "${WORK}/replay.script" --report "${WORK}/replay.json")
hash_of("${WORK}/replay.json" studio)

message(STATUS "state hashes: recorded ${recorded}, headless ${headless}, studio replay ${studio}")
if(NOT recorded STREQUAL headless OR NOT recorded STREQUAL studio)
  message(FATAL_ERROR "the replays end in another state than the recorded session")
endif()
file(SHA256 "${WORK}/headless.gif" a)
file(SHA256 "${WORK}/studio.gif" b)
file(SIZE "${WORK}/headless.gif" size)
if(NOT a STREQUAL b OR size LESS 10000)
  message(FATAL_ERROR "the headless GIF (${size} bytes) is not the studio's")
endif()
message(STATUS "record and replay: same state, same GIF (${size} bytes)")
