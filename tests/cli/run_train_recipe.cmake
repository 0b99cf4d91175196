# The recipe knobs of `rrcnn train` end to end on a tiny model: --init starts from another
# checkpoint's weights with a fresh optimiser, every pool knob lands in the checkpoint's note,
# --resume with the same flags continues, and bad combinations fail with one clear line.
# Inputs: RRCNN (the executable), WORK (a scratch folder).
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
function(run_ok what)
  execute_process(COMMAND "${RRCNN}" ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 200)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}${err}")
  endif()
  set(last_out "${out}" PARENT_SCOPE)
endfunction()

run_ok("training the lite model" train --preset lite --steps 1 --quiet --threads 1 --out "${WORK}/a.safetensors")
set(knobs --pool 8 --pool-replace 1 --horizon 4..6 --damage 2 --damage-mode brushes --damage-radius 1..3
          --stroke-length 3..8 --loss-steps 2 --loss-spacing 2 --noise-start 0.5 --noise-ramp 10)
run_ok("--init with every knob" train --init "${WORK}/a.safetensors" --steps 1 --quiet --threads 1 ${knobs}
       --out "${WORK}/b.safetensors")
run_ok("rrcnn info" info "${WORK}/b.safetensors")
foreach(want "recipe        pool" "damage 2 brushes r1..3 strokes 3..8" "loss mean of 2 steps 2 apart"
             "noise curriculum 0.5..1 over 10 steps" "init ${WORK}/a.safetensors" "step 1")
  string(FIND "${last_out}" "${want}" at)
  if(at LESS 0)
    message(FATAL_ERROR "rrcnn info of the --init run lacks '${want}':\n${last_out}")
  endif()
endforeach()
run_ok("--resume with the same knobs" train --resume "${WORK}/b.safetensors" --steps 1 --quiet --threads 1 ${knobs})
run_ok("rrcnn info after resuming" info "${WORK}/b.safetensors")
foreach(want "step 2" "init ${WORK}/a.safetensors")
  string(FIND "${last_out}" "${want}" at)
  if(at LESS 0)
    message(FATAL_ERROR "after --resume, rrcnn info lacks '${want}':\n${last_out}")
  endif()
endforeach()

foreach(bad "--init;${WORK}/a.safetensors;--resume;${WORK}/b.safetensors"
            "--init;${WORK}/a.safetensors;--preset;lite"
            "--init;${WORK}/missing.safetensors"
            "--preset;lite;--pool;8;--horizon;4;--loss-steps;5"
            "--preset;lite;--pool;8;--noise-start;0.5"
            "--preset;lite;--pool;8;--damage;1;--damage-mode;burn"
            "--preset;lite;--loss-steps;2")
  execute_process(COMMAND "${RRCNN}" train ${bad} --steps 1 --quiet --threads 1 --out "${WORK}/bad.safetensors"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
  string(REGEX MATCHALL "\n" lines "${err}")
  list(LENGTH lines n)
  if(rc EQUAL 0 OR n GREATER 1 OR err STREQUAL "")
    message(FATAL_ERROR "'${bad}' should fail with one line (exit ${rc}):\n${out}${err}")
  endif()
endforeach()
message(STATUS "recipe knobs ok")
