#!/usr/bin/env bash
# Regenerates the pictures and tables of docs/quality.md for a model (and optionally more,
# persistent/repairing ones, which get the baseline table, persistence and repair too): runs
# `rrcnn eval` for every part, keeps the JSON in tools/quality/results/, draws the pictures into
# docs/images/ and prints the markdown tables
# (also saved as tools/quality/results/tables.md).
#
#   tools/quality/make_quality.sh CKPT [PERSISTENT_CKPT[=LABEL] ...]
#
# Environment (defaults in brackets):
#   RRCNN        the executable [build/app/rrcnn]        PYTHON   [/usr/bin/python3]
#   COUNT        held-out digits for the baseline tables [1000]
#   LONG_COUNT   digits for persistence (1024 steps) [200]
#   REPAIR_COUNT digits for the repair test (5 kinds of damage, +64 and +256 steps) [200]
#   CURVE_COUNT  digits for the error-versus-step curves [200]
#   VERY_LONG_COUNT digits for the persistent model's run to 16,384 steps [100]
#   FASHION_COUNT Fashion-MNIST digits [COUNT]           FASHION_DIR [/usr/share/datasets/fashion-mnist]
#   LOG          training JSONL log of CKPT for the loss plot [CKPT with .jsonl, if it exists]
#   LOG_LABEL    its name in the plot [the log's file name]
#   LABEL, PERSISTENT_LABEL  names of the first two models in tables and pictures [the file
#                names]; a later model's is the LABEL after its '=' [its file name]
#   NICE         niceness of the evaluations [10]        BACKEND  auto|cpu|cuda [auto]
#   REUSE        1: keep evaluations whose JSON is already in results/ (e.g. add a second
#                model later without redoing the first) [0]
# Needs Debian's python3-matplotlib and python3-pil (apt install python3-matplotlib).
# CPU time (fast CPU path, 2 cores): about 15 minutes per 1000 digits of baseline table, about
# 10 minutes per model for the repair test on 200 digits (6 rollouts of 320 steps), about 1.5
# hours for everything with two models on an idle machine; a GPU takes minutes.
set -euo pipefail

if [[ $# -lt 1 || "$1" == -h || "$1" == --help ]]; then
  sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
ckpt=$1
shift
# The persistent models after the first: FILE or FILE=LABEL each.
declare -A extra_label=()
persist=""
extras=()
for a in "$@"; do
  f=${a%%=*}
  if [[ -z "$persist" ]]; then persist=$f; else extras+=("$f"); fi
  [[ "$a" == *=* ]] && extra_label[$f]=${a#*=}
done
RRCNN=${RRCNN:-$root/build/app/rrcnn}
PY=${PYTHON:-/usr/bin/python3}
COUNT=${COUNT:-1000}
LONG_COUNT=${LONG_COUNT:-200}
CURVE_COUNT=${CURVE_COUNT:-200}
VERY_LONG_COUNT=${VERY_LONG_COUNT:-100}
REPAIR_COUNT=${REPAIR_COUNT:-200}
FASHION_COUNT=${FASHION_COUNT:-$COUNT}
FASHION_DIR=${FASHION_DIR:-/usr/share/datasets/fashion-mnist}
LOG=${LOG:-${ckpt%.safetensors}.jsonl}
NICE=${NICE:-10}
BACKEND=${BACKEND:-auto}
results=$root/tools/quality/results
images=$root/docs/images
tools=$root/tools/quality

[[ -x "$RRCNN" ]] || { echo "make_quality.sh: $RRCNN not found; build first (see README.md)" >&2; exit 1; }
for f in "$ckpt" ${persist:+"$persist"} "${extras[@]}"; do
  [[ -f "$f" ]] || { echo "make_quality.sh: checkpoint $f not found" >&2; exit 1; }
done
"$PY" -c "import matplotlib, PIL" 2>/dev/null ||
  { echo "make_quality.sh: $PY lacks matplotlib/PIL (apt install python3-matplotlib python3-pil)" >&2; exit 1; }
mkdir -p "$results" "$images"

eval_json() {  # eval_json OUT.json ARGS...: one rrcnn eval run, written atomically
  local out=$1
  shift
  if [[ "${REUSE:-0}" == 1 && -f "$out" ]]; then
    echo "make_quality.sh: keeping ${out#$root/} (REUSE=1)" >&2
    return
  fi
  echo "make_quality.sh: rrcnn eval $* > ${out#$root/}" >&2
  nice -n "$NICE" "$RRCNN" eval --backend "$BACKEND" --json "$@" > "$out.tmp"
  mv "$out.tmp" "$out"
}
name_of() { basename "${1%.safetensors}"; }

main_name=$(name_of "$ckpt")
label_of() {
  if [[ -n "${extra_label[$1]:-}" ]]; then echo "${extra_label[$1]}"
  elif [[ "$1" == "$ckpt" ]]; then echo "${LABEL:-$(name_of "$1")}"
  elif [[ "$1" == "$persist" ]]; then echo "${PERSISTENT_LABEL:-$(name_of "$1")}"
  else name_of "$1"; fi
}
eval_json "$results/$main_name.baselines.json" --ckpt "$ckpt" --baselines --count "$COUNT"
eval_json "$results/$main_name.per_step.json" --ckpt "$ckpt" --per-step --alphas 0.25,0.5,0.75,-1 \
  --count "$CURVE_COUNT"
"$PY" "$tools/plot_error_vs_step.py" "$results/$main_name.per_step.json" \
  --baselines "$results/$main_name.baselines.json" --out "$images/quality-error-vs-step.png"
if [[ -d "$FASHION_DIR" ]]; then
  eval_json "$results/$main_name.fashion.json" --ckpt "$ckpt" --baselines --count "$FASHION_COUNT" \
    --data "$FASHION_DIR"
else
  echo "make_quality.sh: $FASHION_DIR not found (apt install dataset-fashion-mnist): no Fashion-MNIST table" >&2
fi

# Persistence and repair, with the same damage drawn for each model.
pictures=()
table_args=("$results/$main_name.baselines.json=$(label_of "$ckpt")")
[[ -f "$results/$main_name.fashion.json" ]] && table_args+=("$results/$main_name.fashion.json=$(label_of "$ckpt") on Fashion-MNIST")
if [[ -n "$persist" ]]; then  # what persistence costs at the training horizon, same digits and noise
  pn=$(name_of "$persist")
  eval_json "$results/$pn.baselines.json" --ckpt "$persist" --baselines --count "$COUNT"
  table_args+=("$results/$pn.baselines.json=$(label_of "$persist")")
  # Its error over 4x the horizon, and its persistence far past what it was trained for.
  eval_json "$results/$pn.per_step.json" --ckpt "$persist" --per-step --steps 256 \
    --alphas 0.25,0.5,0.75,-1 --count "$CURVE_COUNT"
  "$PY" "$tools/plot_error_vs_step.py" "$results/$pn.per_step.json" \
    --baselines "$results/$pn.baselines.json" --out "$images/quality-error-vs-step-pool.png" \
    --title "$(label_of "$persist"): $CURVE_COUNT held-out digits, dropout 0.5"
  eval_json "$results/$pn.long.json" --ckpt "$persist" --persistence --at 64,256,1024,4096,16384 \
    --count "$VERY_LONG_COUNT"
fi
# Later persistent models: the baseline table and the very long run (its JSON, for the page's
# hand-written table of steps to 16,384) too; no per-step picture.
for model in "${extras[@]}"; do
  n=$(name_of "$model")
  eval_json "$results/$n.baselines.json" --ckpt "$model" --baselines --count "$COUNT"
  table_args+=("$results/$n.baselines.json=$(label_of "$model")")
  eval_json "$results/$n.long.json" --ckpt "$model" --persistence --at 64,256,1024,4096,16384 \
    --count "$VERY_LONG_COUNT"
done
for model in "$ckpt" ${persist:+"$persist"} "${extras[@]}"; do
  n=$(name_of "$model")
  eval_json "$results/$n.persistence.json" --ckpt "$model" --persistence --count "$LONG_COUNT"
  # Every kind of damage of the studio's brushes, scored 64 and 256 steps later.
  eval_json "$results/$n.repair.json" --ckpt "$model" --repair --count "$REPAIR_COUNT" \
    --picture "$results/$n.repair.png"
  pictures+=("$results/$n.repair.json=$(label_of "$model")")
  table_args+=("$results/$n.persistence.json=$(label_of "$model")" "$results/$n.repair.json=$(label_of "$model")")
done
# The DnCNN anchor (tools/anchor/run_anchor.sh writes it; PyTorch is needed only there).
if [[ -f "$results/dncnn.json" ]]; then
  table_args+=("$results/dncnn.json=DnCNN anchor")
else
  echo "make_quality.sh: no $results/dncnn.json (tools/anchor/run_anchor.sh): no anchor table" >&2
fi
# Recipe runs of the ablation table (tools/quality/ablation.sh writes them).
for f in "$results"/ablation/*.json; do
  [[ -f "$f" ]] && table_args+=("$f")
done
"$PY" "$tools/compose_repair.py" "${pictures[@]}" --out "$images/quality-repair.png"

echo "make_quality.sh: rrcnn render > docs/images/quality-denoising.gif" >&2
raw=$(mktemp --suffix=.gif)
trap 'rm -f "$raw"' EXIT
nice -n "$NICE" "$RRCNN" render --backend "$BACKEND" --ckpt "$ckpt" --out "$raw" \
  --digits 8 --steps 128 --every 4 --scale 3
# Re-encoded by PIL, which stores only what changed between frames: a third of the size.
"$PY" - "$raw" "$images/quality-denoising.gif" <<'PYEOF'
import sys
from PIL import Image, ImageSequence
frames = [f.convert("L") for f in ImageSequence.Iterator(Image.open(sys.argv[1]))]
frames[0].save(sys.argv[2], save_all=True, append_images=frames[1:], duration=80, loop=0, optimize=True)
PYEOF
if [[ -f "$LOG" ]]; then
  "$PY" "$tools/plot_loss.py" --log "$LOG" ${LOG_LABEL:+--label "$LOG_LABEL"} --out "$images/quality-loss.png"
else
  echo "make_quality.sh: no training log ($LOG; set LOG=...): loss plot not redrawn" >&2
fi

"$PY" "$tools/tables.py" "${table_args[@]}" | tee "$results/tables.md"
