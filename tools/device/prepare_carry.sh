#!/usr/bin/env bash
# Run here (a machine with the Debian packages) before the prepared GPU run: puts what the lent
# GPU machine lacks into git-ignored folders of the checkout, to be named in the run's `carry`:
#   out/doctest/doctest/doctest.h   the test framework's header (doctest-dev)
#   out/cli11/CLI/CLI.hpp           the flag parser's headers (libcli11-dev), for app/cli
#   out/json/nlohmann/json.hpp      the JSON library core/ reads and writes with (header-only,
#                                   nlohmann-json3-dev; about 1 MB)
#   .gl/*.deb                       GL loader packages (libEGL, libglvnd, ...) for the interop
#                                   suite's headless EGL context; gpu_check.sh unpacks them there
#   .whl/cax-*.whl                  the original (cax, pure Python) for the side-by-side benchmark;
#                                   jax, flax and optax are on the GPU image already
# Then, e.g.: run(command="bash tools/device/gpu_check.sh", carry=["out/doctest", "out/cli11", "out/json", ".gl", ".whl"],
#                 timeout_s=540)   (or "... gpu_check.sh --quick" with timeout_s=400)
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p out/doctest
cp -r /usr/include/doctest out/doctest/
mkdir -p out/cli11
cp -r /usr/include/CLI out/cli11/
mkdir -p out/json
cp -r /usr/include/nlohmann out/json/
exclude="$(git rev-parse --git-path info/exclude)"
grep -qxF '/.gl/' "$exclude" 2> /dev/null || echo '/.gl/' >> "$exclude"
grep -qxF '/.whl/' "$exclude" 2> /dev/null || echo '/.whl/' >> "$exclude"
mkdir -p .gl /tmp/rrcnn-apt-amd64/partial
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/rrcnn-apt-amd64'
# shellcheck disable=SC2086
apt-get $o update > /dev/null
# shellcheck disable=SC2086
(cd .gl && apt-get $o download libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 > /dev/null)
# cax pinned as in tools/reference/requirements.txt; a wheel for the GPU image's Python 3.12.
cax="$(grep -m1 '^cax==' tools/reference/requirements.txt)"
mkdir -p .whl
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 -d .whl "$cax"
echo "carry ready: .whl ($(ls .whl)), out/doctest ($(du -sh out/doctest | cut -f1)), out/cli11 ($(du -sh out/cli11 | cut -f1)), out/json ($(du -sh out/json | cut -f1)), .gl ($(ls .gl | wc -l) packages, $(du -sh .gl | cut -f1))"
