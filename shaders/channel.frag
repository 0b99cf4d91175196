#version 330 core
// Any channel of the state through a diverging colour map centred at 0 (lookup table from
// colormap.cpp, so CPU and GPU agree). Two layouts:
//   strip  (u_mosaic = 0): channel u_channel of every digit side by side (B*W x H);
//   mosaic (u_mosaic = 1): every channel of digit u_sample as tiles, u_cols per row.
// Each channel is scaled by its own symmetric range from u_ranges.
uniform samplerBuffer u_state;   // (B, H, W, C)
uniform samplerBuffer u_ranges;  // (C) positive: value that maps to the ends of the map
uniform sampler2D u_lut;         // 256 x 1 RGBA
uniform ivec4 u_dims;            // B, H, W, C
uniform int u_mosaic;
uniform int u_channel;
uniform int u_sample;
uniform int u_cols;
out vec4 frag;

void main() {
  ivec2 p = ivec2(gl_FragCoord.xy);
  int H = u_dims.y, W = u_dims.z, C = u_dims.w;
  int b, c, x, y;
  if (u_mosaic == 1) {
    ivec2 tile = p / ivec2(W, H);
    b = u_sample;
    c = tile.y * u_cols + tile.x;
    x = p.x - tile.x * W;
    y = p.y - tile.y * H;
  } else {
    b = p.x / W;
    c = u_channel;
    x = p.x - b * W;
    y = p.y;
  }
  if (c >= C) {
    frag = vec4(0.0, 0.0, 0.0, 0.0);
    return;
  }
  float v = texelFetch(u_state, ((b * H + y) * W + x) * C + c).r;
  float range = max(texelFetch(u_ranges, c).r, 1e-6);
  float t = clamp(0.5 + 0.5 * v / range, 0.0, 1.0);
  if (isnan(v)) t = 0.5;
  frag = vec4(texture(u_lut, vec2((t * 255.0 + 0.5) / 256.0, 0.5)).rgb, 1.0);
}
