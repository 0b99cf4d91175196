/* Stand-in for <GL/gl.h> on machines without GL development headers (the lent GPU machines):
 * cuda_gl_interop.h includes <GL/gl.h> for two type names, and gpu/ calls no GL function.
 * Added to the include path only when the system has no GL/gl.h (gpu/CMakeLists.txt). */
#ifndef RRCNN_GL_TYPES_STANDIN_H
#define RRCNN_GL_TYPES_STANDIN_H
#define __gl_h_
#define GL_VERSION 0x1F02
typedef unsigned int GLuint;
typedef unsigned int GLenum;
#endif
