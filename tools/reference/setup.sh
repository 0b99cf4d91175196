#!/usr/bin/env bash
# Create tools/reference/.venv with the pinned reference environment (cax 0.3.3, JAX on CPU).
# Idempotent: does nothing when the venv already matches requirements.txt.
# Usage: bash tools/reference/setup.sh   (PYTHON=python3.12 to pick another interpreter)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
req="$here/requirements.txt"
python="${PYTHON:-python3}"

if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
	echo "setup.sh: $python is $("$python" --version 2>&1); cax 0.3.3 needs Python >= 3.11 (set PYTHON=...)" >&2
	exit 1
fi

stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
	echo "setup.sh: $venv is up to date"
	exit 0
fi

if [ ! -x "$venv/bin/python" ]; then
	"$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -r "$req"
"$venv/bin/python" -c 'import cax, jax, flax, optax, safetensors; print("setup.sh: cax", cax.__version__ if hasattr(cax, "__version__") else "", "jax", jax.__version__, "flax", flax.__version__, "optax", optax.__version__)'
echo "$want" > "$stamp"
echo "setup.sh: ready: $venv/bin/python"
