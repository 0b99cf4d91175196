#!/usr/bin/env bash
# The DnCNN anchor of docs/quality.md end to end: train it (unless MODEL exists), denoise the
# noisy held-out digits `rrcnn eval --dump-noisy` writes, and score the outputs with
# `rrcnn eval --score`, so it meets our models on the same digits, the same noise draws and the
# same protocol. Writes tools/quality/results/dncnn.json (and .log beside the model).
#
#   tools/anchor/run_anchor.sh
#
# Environment (defaults in brackets): RRCNN [build/app/rrcnn], MODEL [tools/anchor/dncnn.pt],
# COUNT [1000], ALPHAS [0.25,0.5,0.75,-1], THREADS [2], NICE [19].
# Needs PyTorch (tool dependency, not the app's: apt install python3-torch). About 10 minutes
# of training on two cores, seconds for the rest.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
RRCNN=${RRCNN:-$root/build/app/rrcnn}
MODEL=${MODEL:-$root/tools/anchor/dncnn.pt}
COUNT=${COUNT:-1000}
ALPHAS=${ALPHAS:-0.25,0.5,0.75,-1}
THREADS=${THREADS:-2}
NICE=${NICE:-19}
PY=${PYTHON:-/usr/bin/python3}
[[ -x "$RRCNN" ]] || { echo "run_anchor.sh: $RRCNN not found; build first (see README.md)" >&2; exit 1; }
"$PY" -c "import torch" 2>/dev/null || { echo "run_anchor.sh: $PY lacks PyTorch (apt install python3-torch)" >&2; exit 1; }
results=$root/tools/quality/results
mkdir -p "$results"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [[ ! -f "$MODEL" ]]; then
  nice -n "$NICE" "$PY" "$root/tools/anchor/dncnn.py" --threads "$THREADS" train --resume --out "$MODEL" \
    --log "${MODEL%.pt}.train.jsonl"
fi
"$RRCNN" eval --dump-noisy "$tmp/noisy.safetensors" --count "$COUNT" --alphas "$ALPHAS"
nice -n "$NICE" "$PY" "$root/tools/anchor/dncnn.py" --threads "$THREADS" denoise --model "$MODEL" \
  --noisy "$tmp/noisy.safetensors" --out "$tmp/denoised.safetensors"
"$RRCNN" eval --score "$tmp/denoised.safetensors" --count "$COUNT" --alphas "$ALPHAS" --json > "$results/dncnn.json.tmp"
mv "$results/dncnn.json.tmp" "$results/dncnn.json"
"$RRCNN" eval --score "$tmp/denoised.safetensors" --count "$COUNT" --alphas "$ALPHAS"
echo "run_anchor.sh: wrote ${results#$root/}/dncnn.json" >&2
