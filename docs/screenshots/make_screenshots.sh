#!/bin/sh
# Regenerates the studio screenshots in this directory with the real app (its --script and
# screenshot options) on a virtual display:
#   docs/screenshots/make_screenshots.sh [path/to/rrcnn] [checkpoint.safetensors]
# Defaults: build/app/rrcnn and assets/rrcnn-seed.safetensors. The training view uses a fresh
# `lite` model so it runs in about a minute on a CPU. Needs xvfb-run (apt install xvfb xauth).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rrcnn=${1:-$root/build/app/rrcnn}
ckpt=${2:-$root/assets/rrcnn-seed.safetensors}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$here"

shoot() {
  name=$1
  shift
  echo "== $name"
  xvfb-run -a -s "-screen 0 1600x960x24" "$rrcnn" gui --width 1600 --height 960 \
    --config-dir "$tmp/$name" --frames 2 --script "$here/$name.script" "$@"
}

shoot studio-main --ckpt "$ckpt"
shoot studio-error-map --ckpt "$ckpt"
shoot studio-channels --ckpt "$ckpt"
shoot studio-paint-repair --ckpt "$ckpt"
shoot studio-canvas --ckpt "$ckpt" --batch 4
shoot studio-help --ckpt "$ckpt"
shoot studio-training --preset lite
