# Sanitizer and fuzzing builds (docs/reliability.md says how each is run).
#   RRCNN_SANITIZE=address  the whole build under AddressSanitizer + UndefinedBehaviorSanitizer
#   RRCNN_SANITIZE=thread   the whole build under ThreadSanitizer (for the GUI's worker tests)
#                           (both in a build folder of their own, with -DRRCNN_CUDA=OFF)
#   RRCNN_SANITIZED_SUITE   in an ordinary build, also an ASan+UBSan copy of rrcnn_core and of
#                           the CPU suite, run by CTest as `core_sanitized` (CI runs it this way)
#   RRCNN_TSAN_WORKERS_TEST in an ordinary build with the GUI, CTest `gui_workers_tsan` builds the
#                           GUI logic tests in build/tsan under TSan and runs the worker cases
#   RRCNN_FUZZ=ON           libFuzzer targets under tests/fuzz (clang only; tools/fuzz/run.sh)
# Included at the top (the whole-build flags must reach every target); tests/core calls
# rrcnn_add_sanitized_suite() where the suite's imported dependencies are visible.

set(RRCNN_SANITIZE "" CACHE STRING "Instrument the whole build: '' (none), address (ASan+UBSan), thread (TSan)")
set_property(CACHE RRCNN_SANITIZE PROPERTY STRINGS "" address thread)
set(RRCNN_SANITIZED_SUITE AUTO CACHE STRING
    "Also build and test an ASan+UBSan copy of the CPU suite: AUTO (when the compiler can), ON, OFF")
set_property(CACHE RRCNN_SANITIZED_SUITE PROPERTY STRINGS AUTO ON OFF)
set(RRCNN_TSAN_WORKERS_TEST AUTO CACHE STRING
    "CTest gui_workers_tsan: the GUI worker tests under ThreadSanitizer in a nested build: AUTO, ON, OFF")
set_property(CACHE RRCNN_TSAN_WORKERS_TEST PROPERTY STRINGS AUTO ON OFF)
option(RRCNN_FUZZ "Build the libFuzzer targets (clang)" OFF)

# Recover from nothing: a finding must fail the test, not scroll by.
set(RRCNN_ASAN_UBSAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
# What the tests run with: leaks count, UB prints a stack, both end the process with status 1;
# a single allocation over 2 GiB is an error too (a reader sized by a hostile header).
set(RRCNN_ASAN_TEST_ENV
    "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1:max_allocation_size_mb=2048"
    "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")

set(_lang_c_cxx "$<COMPILE_LANGUAGE:C,CXX>")
if(RRCNN_SANITIZE STREQUAL "address")
  add_compile_options("$<${_lang_c_cxx}:${RRCNN_ASAN_UBSAN_FLAGS}>")
  add_link_options(${RRCNN_ASAN_UBSAN_FLAGS})
elseif(RRCNN_SANITIZE STREQUAL "thread")
  add_compile_options("$<${_lang_c_cxx}:-fsanitize=thread;-fno-omit-frame-pointer>")
  add_link_options(-fsanitize=thread)
elseif(NOT RRCNN_SANITIZE STREQUAL "")
  message(FATAL_ERROR "RRCNN_SANITIZE='${RRCNN_SANITIZE}': choose address, thread or nothing")
endif()

if(RRCNN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "RRCNN_FUZZ needs clang (CXX=clang++-14 CC=clang-14; tools/fuzz/run.sh does this)")
  endif()
  # Everything instrumented for coverage; only the fuzz targets link libFuzzer's main.
  add_compile_options("$<${_lang_c_cxx}:-fsanitize=fuzzer-no-link,address,undefined;-fno-sanitize-recover=all;-fno-omit-frame-pointer;-g>")
  add_link_options(-fsanitize=address,undefined)
endif()

# The one slow case of the CPU suite (200 lite training steps, minutes under ASan) is left out:
# the short training cases run the same code.
set(RRCNN_SANITIZED_TEST_ARGS "--test-case-exclude=training the lite preset for 200 steps*")

# The suite in an ordinary build: decided once, here, so the cache says what happened.
set(RRCNN_SANITIZED_SUITE_ENABLED FALSE)
set(RRCNN_SANITIZED_MSG "off" CACHE INTERNAL "sanitized suite status line")
if(NOT RRCNN_SANITIZED_SUITE STREQUAL "OFF" AND RRCNN_SANITIZE STREQUAL "" AND NOT RRCNN_FUZZ)
  include(CheckCXXSourceCompiles)
  set(CMAKE_REQUIRED_FLAGS "${RRCNN_ASAN_UBSAN_FLAGS}")
  string(REPLACE ";" " " CMAKE_REQUIRED_FLAGS "${CMAKE_REQUIRED_FLAGS}")
  set(CMAKE_REQUIRED_LINK_OPTIONS ${RRCNN_ASAN_UBSAN_FLAGS})
  check_cxx_source_compiles("int main() { return 0; }" RRCNN_CAN_ASAN_UBSAN)
  unset(CMAKE_REQUIRED_FLAGS)
  unset(CMAKE_REQUIRED_LINK_OPTIONS)
  if(RRCNN_CAN_ASAN_UBSAN)
    set(RRCNN_SANITIZED_SUITE_ENABLED TRUE)
  elseif(RRCNN_SANITIZED_SUITE STREQUAL "ON")
    message(FATAL_ERROR "RRCNN_SANITIZED_SUITE=ON but ${CMAKE_CXX_COMPILER} cannot build with "
                        "-fsanitize=address,undefined (Debian: libgcc-12-dev brings libasan8, libubsan1)")
  endif()
endif()

# A copy of `original` (library or executable) built from the same sources with the same usage
# requirements, instrumented with ASan+UBSan; links named in `replace` as OLD=NEW are swapped.
function(rrcnn_sanitized_copy original copy)
  cmake_parse_arguments(arg "" "" "REPLACE" ${ARGN})
  get_target_property(type ${original} TYPE)
  get_target_property(dir ${original} SOURCE_DIR)
  get_target_property(sources ${original} SOURCES)
  set(abs_sources "")
  foreach(s IN LISTS sources)
    if(IS_ABSOLUTE "${s}")
      set(abs "${s}")
    else()
      set(abs "${dir}/${s}")
    endif()
    list(APPEND abs_sources "${abs}")
    # Per-file flags (the CPU kernels' instruction sets) live in the original's directory.
    get_source_file_property(file_opts "${abs}" DIRECTORY "${dir}" COMPILE_OPTIONS)
    if(file_opts)
      set_source_files_properties("${abs}" DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
                                  PROPERTIES COMPILE_OPTIONS "${file_opts}")
    endif()
  endforeach()
  if(type STREQUAL "EXECUTABLE")
    add_executable(${copy} ${abs_sources})
  else()
    add_library(${copy} STATIC ${abs_sources})
  endif()
  foreach(prop INCLUDE_DIRECTORIES COMPILE_DEFINITIONS COMPILE_OPTIONS LINK_LIBRARIES
               INTERFACE_INCLUDE_DIRECTORIES INTERFACE_LINK_LIBRARIES)
    get_target_property(value ${original} ${prop})
    if(value)
      foreach(pair IN LISTS arg_REPLACE)
        string(REPLACE "=" ";" pair "${pair}")
        list(GET pair 0 old)
        list(GET pair 1 new)
        list(TRANSFORM value REPLACE "^${old}$" "${new}")
      endforeach()
      set_property(TARGET ${copy} PROPERTY ${prop} "${value}")
    endif()
  endforeach()
  target_compile_options(${copy} PRIVATE ${RRCNN_ASAN_UBSAN_FLAGS})
  target_link_options(${copy} INTERFACE ${RRCNN_ASAN_UBSAN_FLAGS})
  if(type STREQUAL "EXECUTABLE")
    target_link_options(${copy} PRIVATE ${RRCNN_ASAN_UBSAN_FLAGS})
  endif()
endfunction()

# rrcnn_core and the CPU suite again, instrumented, as CTest `core_sanitized`. The copies track
# the originals' source lists, so a file added to core/ is covered without touching this.
function(rrcnn_add_sanitized_suite)
  if(NOT RRCNN_SANITIZED_SUITE_ENABLED OR NOT TARGET rrcnn_core_tests)
    return()
  endif()
  find_package(Threads REQUIRED)  # imported targets are per directory: make it visible here
  rrcnn_sanitized_copy(rrcnn_core rrcnn_core_sanitized)
  rrcnn_sanitized_copy(rrcnn_core_tests rrcnn_core_tests_sanitized REPLACE rrcnn_core=rrcnn_core_sanitized)
  add_test(NAME core_sanitized COMMAND rrcnn_core_tests_sanitized ${RRCNN_SANITIZED_TEST_ARGS})
  set_tests_properties(core_sanitized PROPERTIES ENVIRONMENT "${RRCNN_ASAN_TEST_ENV}" LABELS sanitize)
  set(RRCNN_SANITIZED_MSG "on (CTest core_sanitized)" CACHE INTERNAL "sanitized suite status line")
endfunction()

# The GUI's worker threads under ThreadSanitizer. A whole-build flag cannot share a tree with
# the ordinary binaries, so the test configures and builds a nested tree (about a minute the
# first time on two cores, incremental after) and runs the worker cases there. A kernel whose
# address layout TSan cannot use makes it report as skipped, not failed.
function(rrcnn_add_tsan_workers_test)
  if(RRCNN_TSAN_WORKERS_TEST STREQUAL "OFF" OR NOT RRCNN_SANITIZE STREQUAL "" OR RRCNN_FUZZ
     OR NOT RRCNN_GUI_ENABLED OR NOT TARGET rrcnn_gui_tests)
    return()
  endif()
  include(CheckCXXSourceCompiles)
  set(CMAKE_REQUIRED_FLAGS "-fsanitize=thread")
  set(CMAKE_REQUIRED_LINK_OPTIONS -fsanitize=thread)
  check_cxx_source_compiles("int main() { return 0; }" RRCNN_CAN_TSAN)
  unset(CMAKE_REQUIRED_FLAGS)
  unset(CMAKE_REQUIRED_LINK_OPTIONS)
  if(NOT RRCNN_CAN_TSAN)
    if(RRCNN_TSAN_WORKERS_TEST STREQUAL "ON")
      message(FATAL_ERROR "RRCNN_TSAN_WORKERS_TEST=ON but ${CMAKE_CXX_COMPILER} cannot build with -fsanitize=thread")
    endif()
    return()
  endif()
  add_test(NAME gui_workers_tsan
           COMMAND ${CMAKE_COMMAND} -DSRC=${PROJECT_SOURCE_DIR} -DBIN=${PROJECT_BINARY_DIR}/tsan
                   -DCXX=${CMAKE_CXX_COMPILER} -DCC=${CMAKE_C_COMPILER} "-DGENERATOR=${CMAKE_GENERATOR}"
                   -DJOBS=2 -P ${PROJECT_SOURCE_DIR}/cmake/run_tsan_workers.cmake)
  set_tests_properties(gui_workers_tsan PROPERTIES TIMEOUT 900 LABELS "sanitize;gui"
                       SKIP_REGULAR_EXPRESSION "ThreadSanitizer: unexpected memory mapping")
endfunction()
