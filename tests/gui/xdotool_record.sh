#!/bin/sh
# Record and replay with real input (issue 23): the studio under Xvfb with `--record`, driven by
# xdotool as a user would (Space to play, a mouse drag on a live tile while it plays, M for new
# noise, another drag, Ctrl+Q), then the recording replayed without a window: the final state's
# hash must be the one the studio reported as it closed.
#   tests/gui/xdotool_record.sh RRCNN WORK_DIR
# Needs Xvfb and xdotool. Exit code 0 when the replay matches.
set -eu
rrcnn=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
cd "$work"
. "$here/xdotool_display.sh"

"$rrcnn" gui --batch 2 --backend cpu --threads 2 --width 1280 --height 800 --paused \
  --config-dir config --output-dir out --report report.json --record "$work/rec.script" \
  >app.log 2>&1 &
app=$!
studio_window

drag() {  # x0 y0 x1 y1 on digit 0's live tile (about x 507..669, y 116..280 at 1280x800)
  xdotool mousemove "$1" "$2"
  sleep 0.3
  xdotool mousedown 1
  sleep 0.2
  xdotool mousemove $(( ($1 + $3) / 2 )) $(( ($2 + $4) / 2 ))
  sleep 0.2
  xdotool mousemove "$3" "$4"
  sleep 0.2
  xdotool mouseup 1
}
xdotool key space
sleep 1
drag 540 150 630 250
sleep 0.7
xdotool key m
sleep 0.7
drag 630 150 540 250
sleep 1
xdotool key ctrl+q
for _ in $(seq 100); do kill -0 "$app" 2>/dev/null || break; sleep 0.2; done
wait "$app" || { echo "the studio exited with an error"; cat app.log; exit 1; }
app=""

grep -q '^stroke-at 0 ' rec.script || { echo "no stroke in the recording:"; cat rec.script; exit 1; }
grep -q '^new-noise$' rec.script || { echo "no new-noise in the recording:"; cat rec.script; exit 1; }
want=$(sed -n 's/.*"live_state_hash": "\([0-9a-f]*\)".*/\1/p' report.json)
got=$("$rrcnn" render --script rec.script --out run.gif --backend cpu --threads 2 |
      sed -n 's/.*"live_state_hash": "\([0-9a-f]*\)".*/\1/p')
echo "studio $want, replay $got ($(grep -c '^stroke-at' rec.script) stroke segments)"
[ -n "$want" ] && [ "$want" = "$got" ] || { cat rec.script; exit 1; }
