#!/bin/sh
# Idle and playing cost of the studio on this machine, as the README's studio section reports
# them: the real window on a private Xvfb (1600x960), untouched, measured from outside (CPU
# time from /proc over a fixed span) and from inside (`--report`: frame intervals and work per
# frame). Repeat it and take medians: on a shared machine single runs vary.
#   tools/gui/measure_studio.sh RRCNN [SECONDS] [REPEATS] [WARMUP_SECONDS] [MODES]
# WARMUP (default 40): start-up and the training panel's timed steps (seconds each for the full
# model on a busy CPU) are over before the span begins. MODES: "idle playing" by default.
# Prints one line per run: mode, CPU % of one core, frames, frame interval p50/p95 (ms), work
# per frame p50 (ms), its parts p50 (ms), and with partial redraw (software OpenGL) the mean
# share of the window redrawn and the frames with nothing to redraw. Needs Xvfb and xdotool.
# To compare with whole frames: RRCNN_GUI_FULL_REDRAW=1 tools/gui/measure_studio.sh ...
set -eu
rrcnn=$1
span=${2:-20}
repeats=${3:-3}
warmup=${4:-40}
modes=${5:-idle playing}
here=$(dirname "$0")
assets=$(cd "$here/../../assets" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ticks=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

one_run() {  # mode: idle (paused, untouched) or playing (the persistent model, 30 steps/s)
  mode=$1
  dir="$work/$mode-$2"
  mkdir -p "$dir"
  Xvfb -displayfd 3 -screen 0 1600x960x24 -nolisten tcp 3>"$dir/display" 2>"$dir/xvfb.log" &
  xvfb=$!
  for _ in $(seq 100); do [ -s "$dir/display" ] && break; sleep 0.1; done
  export DISPLAY=:$(cat "$dir/display")
  if [ "$mode" = idle ]; then extra=--paused; else extra="--ckpt $assets/rrcnn-pool.safetensors"; fi
  # shellcheck disable=SC2086
  "$rrcnn" gui --backend cpu --width 1600 --height 960 --config-dir "$dir/config" \
    --output-dir "$dir/out" --report "$dir/report.json" $extra >"$dir/app.log" 2>&1 &
  app=$!
  xdotool search --sync --name "RRCNN Studio" >/dev/null
  sleep "$warmup"
  t0=$(cpu_ticks "$app")
  sleep "$span"
  t1=$(cpu_ticks "$app")
  wid=$(xdotool search --name "RRCNN Studio" | head -1)
  xdotool windowfocus "$wid" 2>/dev/null || true
  # The studio may quit (and its window go) before xdotool has sent the key releases: an X
  # error then, which is not a failure of the run.
  xdotool key --window "$wid" ctrl+q 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$app" 2>/dev/null || break; sleep 0.2; done
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  wait "$xvfb" 2>/dev/null || true
  python3 - "$dir/report.json" "$mode" "$(( (t1 - t0) ))" "$ticks" "$span" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ticks, tck, span = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
f, w = r["frame_ms"], r["frame_work_ms"]
print(f"{sys.argv[2]:8s} cpu {100.0 * ticks / tck / span:5.1f}%  frames {r['frames']:5d}  "
      f"frame p50 {f['p50']:7.1f} ms  p95 {f['p95']:7.1f} ms  work p50 {w['p50']:6.1f} ms  "
      + "  ".join(f"{k} {v['p50']:.1f}" for k, v in r.get("frame_parts_ms", {}).items())
      + (f"  redrawn {r['redraw']['mean_redrawn_percent']:.0f}%"
         f" unchanged {r['redraw']['unchanged_frames']}" if "redraw" in r else ""))
PY
}

for i in $(seq "$repeats"); do
  for m in $modes; do one_run "$m" "$i"; done
done
