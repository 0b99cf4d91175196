# What the xdotool tests share (xdotool_session.sh, xdotool_record.sh), sourced in their work
# folder: a private Xvfb display at 1280x800 (the server picks a free number itself), a clean-up
# that ends it and the studio ($app, once started) however the test ends, and studio_window.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>display.txt 2>xvfb.log &
xvfb=$!
app=""
cleanup() {
  [ -n "$app" ] && kill "$app" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 50); do [ -s display.txt ] && break; sleep 0.1; done
DISPLAY=:$(cat display.txt)
export DISPLAY

# Sets wid to the studio's window once it is up and focused, then lets it settle.
studio_window() {
  wid=$(xdotool search --sync --name "RRCNN Studio" | head -1)
  # The window is found by name before it is mapped: focusing it can fail for a moment.
  for _ in $(seq 50); do xdotool windowfocus --sync "$wid" 2>/dev/null && break; sleep 0.2; done
  sleep 3
}
