#version 330 core
// Error map: the rendered live image (clipped to [0, 1]) minus the clean target, through the
// diverging map: orange = brighter than the target, blue = darker, centre colour = right.
// Digits side by side (B*W x H). Without a target (blank canvas) the map shows the centre colour.
uniform samplerBuffer u_state;   // (B, H, W, C)
uniform samplerBuffer u_target;  // (B, H, W)
uniform sampler2D u_lut;
uniform ivec4 u_dims;            // B, H, W, C
uniform float u_range;           // error that maps to the ends of the map
uniform int u_has_target;
out vec4 frag;

void main() {
  ivec2 p = ivec2(gl_FragCoord.xy);
  int H = u_dims.y, W = u_dims.z, C = u_dims.w;
  int b = p.x / W, x = p.x - b * W, y = p.y;
  int cell = (b * H + y) * W + x;
  float v = texelFetch(u_state, cell * C + (C - 1)).r;
  float e = 0.0;
  if (u_has_target == 1) e = clamp(isnan(v) ? 0.0 : v, 0.0, 1.0) - texelFetch(u_target, cell).r;
  float t = clamp(0.5 + 0.5 * e / max(u_range, 1e-6), 0.0, 1.0);
  frag = vec4(texture(u_lut, vec2((t * 255.0 + 0.5) / 256.0, 0.5)).rgb, 1.0);
}
