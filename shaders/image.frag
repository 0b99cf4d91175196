#version 330 core
// The image channel of every digit as grey, one fragment per cell, digits side by side in a
// strip (B*W x H). Same rule as core's render_pixel: clip to [0, 1], times 255, truncate;
// NaN shows as black.
uniform samplerBuffer u_state;  // (B, H, W, C) floats, channels innermost
uniform ivec4 u_dims;           // B, H, W, C
out vec4 frag;

void main() {
  ivec2 p = ivec2(gl_FragCoord.xy);
  int H = u_dims.y, W = u_dims.z, C = u_dims.w;
  int b = p.x / W, x = p.x - b * W, y = p.y;
  float v = texelFetch(u_state, ((b * H + y) * W + x) * C + (C - 1)).r;
  float g = v > 0.0 ? floor(min(v, 1.0) * 255.0) / 255.0 : 0.0;
  frag = vec4(g, g, g, 1.0);
}
