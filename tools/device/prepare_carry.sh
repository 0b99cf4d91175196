#!/usr/bin/env bash
# Run here (a machine with the Debian packages) before the prepared GPU run: puts what the lent
# GPU machine lacks into git-ignored folders of the checkout, to be named in the run's `carry`:
#   out/doctest/doctest/doctest.h   the test framework's header (doctest-dev)
#   .gl/*.deb                       GL loader packages (libEGL, libglvnd, ...) for the interop
#                                   suite's headless EGL context; gpu_check.sh unpacks them there
# Then, e.g.: run(command="bash tools/device/gpu_check.sh", carry=["out/doctest", ".gl"],
#                 timeout_s=540)
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p out/doctest
cp -r /usr/include/doctest out/doctest/
exclude="$(git rev-parse --git-path info/exclude)"
grep -qxF '/.gl/' "$exclude" 2> /dev/null || echo '/.gl/' >> "$exclude"
mkdir -p .gl /tmp/rrcnn-apt-amd64/partial
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/rrcnn-apt-amd64'
# shellcheck disable=SC2086
apt-get $o update > /dev/null
# shellcheck disable=SC2086
(cd .gl && apt-get $o download libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 > /dev/null)
echo "carry ready: out/doctest ($(du -sh out/doctest | cut -f1)), .gl ($(ls .gl | wc -l) packages, $(du -sh .gl | cut -f1))"
