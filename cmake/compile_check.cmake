# Checks without a test executable of their own (issue 21): the compile-only ones that keep the
# sources building on toolchains other than ours, and the peers' tools (peers_cpu).
#   std_includes     every file includes the standard header of each standard name it uses
#                    (tools/ci/std_includes.py; what a newer libstdc++ would otherwise break)
#   isa_symbols      the per-ISA kernel files of rrcnn_core export only their entry point (no
#                    AVX-512 copy of an inline function for the linker to pick for all files)
#   compile_libcxx   core/, gpu/'s host C++ and app/cli parsed by clang with libc++
#                    (-fsyntax-only, in parallel; tools/ci/compile_libcxx.py), skipped with the
#                    reason when clang or libc++ (clang-14, libc++-14-dev) is missing
# The sources and their flags come from the real targets, so the check follows the CMake lists:
# one manifest per target, written at generate time (defines and include folders, transitive).
function(rrcnn_add_compile_checks)
  find_package(Python3 COMPONENTS Interpreter)
  if(NOT Python3_FOUND)
    message(STATUS "compile checks: off (no python3)")
    return()
  endif()
  add_test(NAME std_includes
           COMMAND Python3::Interpreter ${PROJECT_SOURCE_DIR}/tools/ci/std_includes.py
                   core gpu app/cli app/gui app/session app/main.cpp python/src
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(std_includes PROPERTIES TIMEOUT 60 LABELS compile)

  # The side-by-side benchmark tools on the CPU (tools/peers; gpu_check.sh runs them on a GPU).
  add_test(NAME peers_cpu
           COMMAND Python3::Interpreter ${PROJECT_SOURCE_DIR}/tools/peers/test_peers.py $<TARGET_FILE:rrcnn>)
  set_tests_properties(peers_cpu PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77 LABELS peers)

  if(CMAKE_NM)
    add_test(NAME isa_symbols
             COMMAND Python3::Interpreter ${PROJECT_SOURCE_DIR}/tools/ci/isa_symbols.py ${CMAKE_NM}
                     $<TARGET_FILE:rrcnn_core>)
    set_tests_properties(isa_symbols PROPERTIES TIMEOUT 60 SKIP_RETURN_CODE 77 LABELS compile)
  endif()

  set(dir ${PROJECT_BINARY_DIR}/compile_check)
  set(manifests "")
  foreach(target rrcnn_core rrcnn_gpu rrcnn_cli rrcnn)
    get_target_property(sources ${target} SOURCES)
    get_target_property(src_dir ${target} SOURCE_DIR)
    set(lines "")
    foreach(s IN LISTS sources)
      if(NOT s MATCHES "\\.(cpp|cc)$")
        continue()  # CUDA kernels (.cu) stay with nvcc
      endif()
      get_filename_component(abs ${s} ABSOLUTE BASE_DIR ${src_dir})
      get_source_file_property(opts ${abs} DIRECTORY ${src_dir} COMPILE_OPTIONS)
      if(NOT opts)
        set(opts "")
      endif()
      string(REPLACE ";" " " opts "${opts}")
      string(APPEND lines "source ${abs}\t${opts}\n")
    endforeach()
    set(defs "$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>")
    set(incs "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
    file(GENERATE OUTPUT ${dir}/${target}.txt CONTENT
         "${lines}$<$<BOOL:${defs}>:define $<JOIN:${defs},\ndefine >\n>$<$<BOOL:${incs}>:include $<JOIN:${incs},\ninclude >\n>")
    list(APPEND manifests ${dir}/${target}.txt)
  endforeach()
  add_test(NAME compile_libcxx
           COMMAND Python3::Interpreter ${PROJECT_SOURCE_DIR}/tools/ci/compile_libcxx.py ${manifests})
  set_tests_properties(compile_libcxx PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77 LABELS compile)
endfunction()
