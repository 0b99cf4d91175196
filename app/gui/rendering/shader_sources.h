// GLSL sources of shaders/, embedded at build time (embed_shaders.cmake writes their
// definitions into the build directory), so the binary needs no shader files at run time.
#pragma once

namespace rrcnn {
namespace shaders {

extern const char* const fullscreen_vert;  // full-viewport triangle
extern const char* const image_frag;       // image channel as grey
extern const char* const channel_frag;     // any channel through the diverging map; mosaic
extern const char* const error_frag;       // live image minus target

}  // namespace shaders
}  // namespace rrcnn
