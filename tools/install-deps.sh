#!/usr/bin/env bash
# Installs the Debian packages RRCNN Studio builds and tests with (Debian 12 or newer).
# Safe to run again: apt skips what is already there. Uses sudo when not root.
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libopenblas-dev zlib1g-dev doctest-dev          # core: BLAS, gzip, tests
  libpng-dev libgif-dev                           # core: PNG and GIF output
  nlohmann-json3-dev                              # JSON (session files)
  libglfw3-dev libimgui-dev python3-glad libgl-dev  # GUI: window, widgets, GL loader generator
  xvfb xauth libgl1-mesa-dri xdotool              # headless GUI tests (Mesa llvmpipe), real input
  python3-dev pybind11-dev python3-numpy          # the rrcnn Python module (docs/python.md)
  python3-pytest python3-matplotlib python3-venv  # its tests, the docs example's plot, pip install .
  clang-14 libc++-14-dev libc++abi-14-dev         # CI: sources parsed by another compiler + library
)
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The CUDA backend builds when nvcc is found (CUDA toolkit in /usr/local/cuda); without it the
# CPU backend serves everything and the GPU tests report as skipped.
