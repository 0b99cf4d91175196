#!/usr/bin/env bash
# Optional: tools/peers/.venv with a PyPI PyTorch (requirements-torch-pypi.txt), the second peer
# of compare.py (--torch2-venv tools/peers/.venv). Debian's python3-torch needs no setup.
# About 5.4 GB and a few minutes of downloads; re-running with the venv in place only checks it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
	"${PYTHON:-python3}" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet -r "$here/requirements-torch-pypi.txt"
"$venv/bin/python" -c 'import torch; print("setup_torch_pypi.sh: torch", torch.__version__, "CPU capability", torch.backends.cpu.get_cpu_capability())'
