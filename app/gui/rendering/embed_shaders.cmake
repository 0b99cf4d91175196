# Build-time step (cmake -P): writes OUT, a C++ file defining one string per shader file in
# FILES (a ;-list), named after the file ("image.frag" -> rrcnn::shaders::image_frag). The
# shader sources stay real .vert/.frag files under shaders/; nothing generated is committed.
set(_body "// Generated from shaders/ by app/gui/rendering/embed_shaders.cmake. Do not edit.\n")
string(APPEND _body "#include \"gui/rendering/shader_sources.h\"\n\nnamespace rrcnn {\nnamespace shaders {\n\n")
foreach(_file IN LISTS FILES)
  get_filename_component(_name "${_file}" NAME)
  string(REPLACE "." "_" _ident "${_name}")
  file(READ "${_file}" _src)
  string(APPEND _body "const char* const ${_ident} = R\"rrcnn_glsl(${_src})rrcnn_glsl\";\n\n")
endforeach()
string(APPEND _body "}  // namespace shaders\n}  // namespace rrcnn\n")
# Only touch the output when it changes, so an unchanged shader does not trigger a rebuild.
if(EXISTS "${OUT}")
  file(READ "${OUT}" _old)
  if(_old STREQUAL _body)
    return()
  endif()
endif()
file(WRITE "${OUT}" "${_body}")
