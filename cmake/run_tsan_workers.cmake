# CTest driver (cmake -P) for `gui_workers_tsan`: builds the GUI's logic tests in a nested tree
# under ThreadSanitizer (incremental after the first run) and runs the worker cases: the live
# view's simulation thread and the trainer thread against the UI thread.
# -D: SRC (source tree), BIN (nested build folder), CXX, CC, GENERATOR, JOBS.
foreach(v SRC BIN CXX CC GENERATOR JOBS)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run_tsan_workers.cmake: -D${v}=... missing")
  endif()
endforeach()

execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${BIN} -G ${GENERATOR}
          -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS=-g1
          -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_C_COMPILER=${CC}
          -DRRCNN_SANITIZE=thread -DRRCNN_CUDA=OFF -DRRCNN_GUI=ON -DRRCNN_SANITIZED_SUITE=OFF
          -DRRCNN_TSAN_WORKERS_TEST=OFF
  OUTPUT_QUIET RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "configuring the ThreadSanitizer build in ${BIN} failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BIN} --target rrcnn_gui_tests -j ${JOBS}
                OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building the ThreadSanitizer build in ${BIN} failed:\n${out}")
endif()
# Several rounds: thread interleavings differ from run to run.
foreach(round RANGE 1 5)
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env "TSAN_OPTIONS=halt_on_error=1 second_deadlock_stack=1"
            ${BIN}/tests/gui/rrcnn_gui_tests "--test-case=live view*,trainer*"
    RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "ThreadSanitizer: the worker tests failed in round ${round} (report above)")
  endif()
endforeach()
message(STATUS "ThreadSanitizer: worker tests clean in 5 rounds")
