#!/bin/sh
# Drives the real studio on a virtual display with xdotool, as a user would: keys (play, train,
# stop, help, Save as with a typed name, screenshot), the mouse (paint on a live tile; the File
# menu closed with Esc and opened again), a window
# resize, a quick double click in the file browser, and Ctrl+Q with unsaved weights (answered with D, discard). Then checks the report the
# studio writes as it closes.
#   tests/gui/xdotool_session.sh RRCNN WORK_DIR CHECK_REPORT_CMAKE
# Needs Xvfb and xdotool (apt install xvfb xdotool). Exit code 0 when every check passes.
set -eu
rrcnn=$1
work=$2
checker=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
cd "$work"
. "$here/xdotool_display.sh"

RRCNN_GUI_TRACE=1 "$rrcnn" gui --preset lite --batch 2 --backend cpu --width 1280 --height 800 --paused \
  --config-dir config --output-dir out --report report.json >app.log 2>&1 &
app=$!
studio_window

step() { echo "== $*"; }
# Running, not just not yet reaped (kill -0 succeeds on a zombie).
running() { ps -o stat= -p "$1" 2>/dev/null | grep -qv '^Z'; }
step "play (Space), then help (F1) and close it again"
xdotool key space
sleep 1.5
xdotool key F1
sleep 0.8
xdotool key F1
sleep 0.5

step "paint a stroke on digit 0's live tile (left drag), pointer left over the tile"
# (digit 0's live tile spans about x 507..669, y 116..280 in the default 1280x800 layout: the
# tiles fill the Live panel)
xdotool mousemove 540 150
sleep 0.4
xdotool mousedown 1
sleep 0.3
xdotool mousemove 585 200
sleep 0.3
xdotool mousemove 630 250
sleep 0.3
xdotool mouseup 1
sleep 0.3
xdotool mousemove 588 198
sleep 0.8
xdotool key F12
sleep 1

step "open the File menu, close it with Esc, open it again and take a screenshot from it"
# (an Esc-closed menu used to stay open, and the next click on its title only closed it)
xdotool mousemove 20 9 click 1
sleep 1
xdotool key Escape
sleep 1
xdotool mousemove 22 10 click 1
sleep 1
xdotool mousemove 60 151 click 1
sleep 1.5

step "train (T) for a few seconds, stop (Shift+T)"
xdotool key t
sleep 4
xdotool key shift+t
sleep 3

step "Save as (Ctrl+Shift+S), type a name, Enter"
xdotool key ctrl+shift+s
sleep 1.5
xdotool type --delay 80 mine
sleep 0.5
xdotool key Return
sleep 1.5

step "open (Ctrl+O) and double-click mine.safetensors quickly: it opens, not only selects"
# Two clicks 5 ms apart usually arrive within one frame: ImGui 1.86 alone saw one click there.
# (the first entry of the browser sits at about x 400, y 256 at 1280x800)
xdotool key ctrl+o
sleep 1.5
xdotool mousemove 400 256
sleep 0.5
xdotool click --repeat 2 --delay 5 1
sleep 2

step "resize the window small and back"
xdotool windowsize "$wid" 560 380
sleep 1.5
xdotool windowsize "$wid" 1280 800
sleep 1.5

step "train again (unsaved), Ctrl+Q asks, D discards, the window closes"
xdotool key t
sleep 3
xdotool key ctrl+q
sleep 1.5
xdotool key d
for _ in $(seq 150); do running "$app" || break; sleep 0.2; done
if running "$app"; then
  echo "the studio did not close; its trace:"
  cat app.log
  exit 1
fi
wait "$app" || { echo "the studio exited with $?"; cat app.log; exit 1; }
app=""
cat app.log

# (-D before -P: cmake reads definitions only there.)
cmake -DREPORT=report.json \
  "-DEXPECT=closed_by_user == true;#errors == 0;live_step > 0;strokes > 0;train_steps >= 1;#written == 3;written.0 ~ /out/rrcnn-screenshot-[0-9-]+[.]png$;written.1 ~ /out/rrcnn-screenshot-[0-9-]+(-2)?[.]png$;written.2 ~ /out/mine[.]safetensors$;layout_usable == true;panels.Controls.2 == 330;help_shown == false;model ~ /out/mine[.]safetensors$;prompt == " \
  -P "$checker"
