# What the end-to-end session tests share (run_record_replay.cmake, run_session_file.cmake): a
# fresh WORK folder, and run(WHAT COMMAND...), one step in it that must exit 0 (its output is
# logged either way).
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
function(run what)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 170)
  message(STATUS "${what}: exit code ${rc}\n${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (exit code ${rc})")
  endif()
endfunction()
