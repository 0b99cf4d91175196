#!/usr/bin/env bash
# CTest entry for tools/reference/python_roundtrip.py (cax -> rrcnn -> cax). Needs the reference
# environment (bash tools/reference/setup.sh: cax, JAX from PyPI); without it, exit 77 (skipped).
# $1: the interpreter the rrcnn module was built for; PYTHONPATH points at build/python.
set -u
src="${RRCNN_SOURCE_DIR:?}"
venv_python="$src/tools/reference/.venv/bin/python"
if [ ! -x "$venv_python" ]; then
  echo "SKIPPED: no reference environment ($venv_python); run: bash tools/reference/setup.sh"
  exit 77
fi
exec "$venv_python" "$src/tools/reference/python_roundtrip.py" --ours-python "$1" --pythonpath "${RRCNN_BUILD_PYTHON:?}"
