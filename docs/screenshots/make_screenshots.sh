#!/bin/sh
# Regenerates the studio screenshots in this directory with the real app (its --script and
# screenshot options) on a virtual display:
#   docs/screenshots/make_screenshots.sh [path/to/rrcnn] [checkpoint.safetensors]
# Defaults: build/app/rrcnn and assets/rrcnn-seed.safetensors (the erase-and-repair view uses
# assets/rrcnn-heal.safetensors, the model trained to heal the brushes). The training views use a fresh
# `lite` model so they run in a minute or two on a CPU. Needs xvfb-run (apt install xvfb xauth).
# Nothing is written outside this folder (the studio's config and output folders are temporary).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rrcnn=${1:-$root/build/app/rrcnn}
ckpt=${2:-$root/assets/rrcnn-seed.safetensors}
# Absolute, since the shots are taken from this folder.
rrcnn=$(cd "$(dirname "$rrcnn")" && pwd)/$(basename "$rrcnn")
ckpt=$(cd "$(dirname "$ckpt")" && pwd)/$(basename "$ckpt")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$here"

shoot() {
  name=$1
  shift
  echo "== $name"
  xvfb-run -a -s "-screen 0 1600x960x24" "$rrcnn" gui --width 1600 --height 960 \
    --config-dir "$tmp/$name" --output-dir "$tmp/out" --frames 2 --script "$here/$name.script" "$@"
}

shoot studio-main --ckpt "$ckpt"
shoot studio-error-map --ckpt "$ckpt"
shoot studio-channels --ckpt "$ckpt"
shoot studio-paint-repair --ckpt "$root/assets/rrcnn-heal.safetensors"  # the healing model
shoot studio-canvas --ckpt "$ckpt"
shoot studio-help --ckpt "$ckpt"
shoot studio-browser --ckpt "$ckpt"
shoot studio-training --preset lite
shoot studio-diverged --preset lite --batch 4
shoot studio-timeline-fork --ckpt "$root/assets/rrcnn-pool.safetensors"
shoot studio-error-curves --ckpt "$ckpt"
shoot studio-change-map --ckpt "$ckpt"
shoot studio-uncertainty --ckpt "$ckpt"
shoot studio-ab --ckpt "$ckpt" --batch 6
shoot studio-copy-command --ckpt "$ckpt"
# Models and runs of your own (issue 18): the New model dialog; runs overlaid on the loss plot.
shoot studio-new-model --preset lite
shoot studio-runs --ckpt "$root/training/seed-full/rrcnn-seed-full.safetensors"
