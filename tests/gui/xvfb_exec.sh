#!/bin/sh
# Runs a command on a private Xvfb display and exits with the command's own status. The GUI
# tests use it instead of xvfb-run, whose clean-up can fail after the command has finished
# ("problem while cleaning up temporary directory", exit 5) and so fail a test that passed.
# Takes xvfb-run's options as the tests use them:
#   xvfb_exec.sh [-a] [-s "SERVER ARGS"] COMMAND [ARGS...]
# -a is accepted and always in effect: the server picks a free display itself (-displayfd).
set -eu
server_args="-screen 0 1280x1024x24"
while [ $# -gt 0 ]; do
  case "$1" in
    -a) shift ;;
    -s) server_args=$2; shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "xvfb_exec.sh: no command given" >&2; exit 2; }
tmp=$(mktemp -d)
# $server_args unquoted on purpose: they are words, as with xvfb-run -s.
Xvfb -displayfd 3 $server_args -nolisten tcp 3>"$tmp/display" 2>"$tmp/xvfb.log" &
xvfb=$!
for _ in $(seq 100); do
  [ -s "$tmp/display" ] && break
  sleep 0.1
done
if [ ! -s "$tmp/display" ]; then
  echo "xvfb_exec.sh: Xvfb did not start:" >&2
  cat "$tmp/xvfb.log" >&2
  kill "$xvfb" 2>/dev/null || true
  rm -rf "$tmp"
  exit 4
fi
DISPLAY=:$(cat "$tmp/display")
export DISPLAY
set +e
"$@"
rc=$?
set -e
kill "$xvfb" 2>/dev/null || true
wait "$xvfb" 2>/dev/null || true
rm -rf "$tmp" || true
exit "$rc"
