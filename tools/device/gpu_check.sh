#!/usr/bin/env bash
# The GPU checks of issue 4 as one prepared run, for a machine with an NVIDIA GPU and only CMake,
# nvcc and a C++ compiler (no Debian -dev packages): builds the minimal configuration for the
# local GPU's architecture, runs the GPU parity suite and the benchmarks, and writes every
# output under $OUT (default out/device). Needs doctest/doctest.h under $DOCTEST_DIR (default
# out/doctest), e.g. copied from a machine with doctest-dev:
#   mkdir -p out/doctest && cp -r /usr/include/doctest out/doctest/
# Usage: bash tools/device/gpu_check.sh      (JOBS=16 by default)
set -uo pipefail
cd "$(dirname "$0")/../.."
out="${OUT:-out/device}"
doctest_dir="$(realpath -m "${DOCTEST_DIR:-out/doctest}")"
jobs="${JOBS:-16}"
mkdir -p "$out"
log() { echo "== $*" | tee -a "$out/summary.txt"; }

{ date -u +%FT%TZ; nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total --format=csv; } \
  > "$out/device.txt" 2>&1
cat "$out/device.txt"
arch="$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -n1 | tr -d '. ')"
log "GPU architecture: sm_${arch:-unknown}"

log "configure"
cmake -S . -B build-gpu -DCMAKE_BUILD_TYPE=Release -DRRCNN_GUI=OFF -DRRCNN_BLAS=OFF \
  -DRRCNN_ZLIB=OFF -DRRCNN_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES="${arch:-90}" \
  -DRRCNN_DOCTEST_DIR="$doctest_dir" > "$out/configure.txt" 2>&1 || { log "configure FAILED"; tail -30 "$out/configure.txt"; exit 1; }
log "build"
cmake --build build-gpu -j"$jobs" --target rrcnn rrcnn_gpu_tests > "$out/build.txt" 2>&1 \
  || { log "build FAILED"; grep -E "error" "$out/build.txt" | head -30; exit 1; }

log "GPU parity suite"
(cd build-gpu && timeout 300 ./tests/gpu/rrcnn_gpu_tests -s=false 2>&1) | tee "$out/gpu_tests.txt" | tail -40
echo "rc=${PIPESTATUS[0]}" >> "$out/gpu_tests.txt"
log "$(tail -n1 "$out/gpu_tests.txt")"

log "bench cuda"
timeout 180 build-gpu/app/rrcnn bench --backend cuda --seconds 3 > "$out/bench_cuda.json" 2> "$out/bench_cuda.err"
log "bench cuda rc=$?"; cat "$out/bench_cuda.json"
log "bench cpu (portable loops, 16 threads, for the ratio on this machine)"
timeout 120 build-gpu/app/rrcnn bench --backend cpu --seconds 2 --skip-train > "$out/bench_cpu.json" 2> "$out/bench_cpu.err"
log "bench cpu rc=$?"; cat "$out/bench_cpu.json"
