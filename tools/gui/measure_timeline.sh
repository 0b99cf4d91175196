#!/bin/sh
# Issue 22's two costs, measured from the studio's own --report on a private Xvfb (1280x800,
# CPU build, default model, 8 digits): (1) the live view's steps/s at `speed max` with the
# timeline off and on, alternating runs; (2) the frame time while a K=32 dropout-uncertainty
# run computes, against the same view with nothing computing. Prints one line per run; take
# medians over the rounds (a shared machine varies run to run).
#   tools/gui/measure_timeline.sh RRCNN [ROUNDS] [FRAMES]
set -eu
rrcnn=$1
rounds=${2:-3}
frames=${3:-200}
here=$(cd "$(dirname "$0")" && pwd)
xvfb="$here/../../tests/gui/xvfb_exec.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

field() {  # report.json key (one level under it: p50/p95), e.g. field live_steps_per_s p50
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); v=r.get(sys.argv[2], {}); print(round(v.get(sys.argv[3], 0), 1) if isinstance(v, dict) else v)" "$@"
}

run() {  # name script-lines...
  name=$1
  shift
  printf '%s\n' "$@" > "$work/$name.script"
  sh "$xvfb" -s "-screen 0 1280x800x24" "$rrcnn" gui --backend cpu --width 1280 --height 800 \
    --config-dir "$work/config" --output-dir "$work/out" --script "$work/$name.script" \
    --report "$work/$name.json" > "$work/$name.log" 2>&1 || { cat "$work/$name.log"; exit 1; }
}

for r in $(seq "$rounds"); do
  for tl in off on; do
    run "steps-$tl" "timeline $tl" "speed max" "play" "wait $frames"
    echo "round $r timeline $tl: live steps/s p50 $(field "$work/steps-$tl.json" live_steps_per_s p50)," \
      "frame p50 $(field "$work/steps-$tl.json" frame_ms p50) ms"
  done
  run idle-k "speed 30" "play" "wait $frames"
  echo "round $r playing, nothing computing: frame p50 $(field "$work/idle-k.json" frame_ms p50)" \
    "p95 $(field "$work/idle-k.json" frame_ms p95) ms"
  run k32 "speed 30" "play" "uncertainty 32" "wait-uncertainty 100000"
  echo "round $r playing, K=32 computing: frame p50 $(field "$work/k32.json" frame_ms p50)" \
    "p95 $(field "$work/k32.json" frame_ms p95) ms over $(field "$work/k32.json" frame_ms count) frames"
done
