#!/usr/bin/env bash
# The prepared GPU run (issue 11): everything the CUDA path needs checked on a real GPU, in one
# command, on a machine with an NVIDIA GPU and only CMake, nvcc and a C++ compiler (no Debian
# -dev packages). Builds the minimal configuration (GUI, BLAS, zlib off) for the local GPU's
# architecture, then runs, each under a time limit:
#   gpu_host        the CUDA probe and the fallback paths (must pass)
#   gpu_no_device   the same with CUDA_VISIBLE_DEVICES=-1: the no-device path (must pass)
#   gpu             per-kernel parity ([kernel] lines), per-step trajectories, training, graphs,
#                   threads, failed growth (must pass; "skipped" here is a failure)
#   gpu_interop     CUDA-GL interop on a headless EGL context, with its cost per frame
#                   (skipped when no OpenGL context can be made: reported, fatal only with
#                   REQUIRE_INTEROP=1)
#   rrcnn bench --backend cuda
# and prints a one-screen summary (also $OUT/summary.txt); exits non-zero on any failure.
# Outputs under $OUT (default out/device): summary.txt, build.txt, tests.txt, bench_cuda.json.
# Needs doctest/doctest.h under $DOCTEST_DIR (default out/doctest) and, for the interop suite on
# a machine without GL loaders, the .deb files tools/device/prepare_carry.sh puts in .gl/.
# Usage: bash tools/device/gpu_check.sh        (about 5 minutes on 16 cores; see
#        docs/gpu-checks.md for what each part does and how long it takes)
set -uo pipefail
cd "$(dirname "$0")/../.."
out="${OUT:-out/device}"
build="${BUILD_DIR:-build-gpu}"
doctest_dir="$(realpath -m "${DOCTEST_DIR:-out/doctest}")"
jobs="${JOBS:-$(nproc 2>/dev/null || echo 8)}"
mkdir -p "$out"
summary="$out/summary.txt"
tests_log="$out/tests.txt"
: > "$summary"
: > "$tests_log"
failures=0
start=$SECONDS

say() { echo "$*" | tee -a "$summary"; }
ok() { say "ok    $*"; }
fail() { say "FAIL  $*"; failures=$((failures + 1)); }
note() { say "note  $*"; }
finish() {
  say "total $((SECONDS - start)) s"
  if [ "$failures" -eq 0 ]; then say "RESULT: PASS"; else say "RESULT: FAIL ($failures)"; fi
  [ "$failures" -eq 0 ]
  exit $?
}

say "== RRCNN Studio GPU check, $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
gpu="$(nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -n1)"
arch="$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -n1 | tr -d '. ')"
say "device: ${gpu:-no nvidia-smi}"
case "$arch" in '' | *[!0-9]*) arch=90; note "GPU architecture unknown: building for sm_90" ;; esac

# GL loaders for the interop suite's headless EGL (carried .deb files, unpacked into /), and the
# NVIDIA EGL vendor file where the driver mount has it but glvnd does not look.
if ls .gl/*.deb > /dev/null 2>&1; then
  for f in .gl/*.deb; do dpkg -x "$f" / 2>> "$out/build.txt"; done
  ldconfig 2>> "$out/build.txt"
fi
nv_egl=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
if [ -f "$nv_egl" ] && [ ! -f /usr/share/glvnd/egl_vendor.d/10_nvidia.json ]; then
  export __EGL_VENDOR_LIBRARY_FILENAMES="$nv_egl"
fi

# ---- build
if [ ! -f "$doctest_dir/doctest/doctest.h" ] && [ ! -f /usr/include/doctest/doctest.h ]; then
  fail "doctest/doctest.h not under $doctest_dir (run tools/device/prepare_carry.sh here first)"
  finish
fi
t=$SECONDS
if cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DRRCNN_GUI=OFF -DRRCNN_BLAS=OFF \
      -DRRCNN_ZLIB=OFF -DRRCNN_PYTHON=OFF -DRRCNN_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES="$arch" \
      -DRRCNN_DOCTEST_DIR="$doctest_dir" >> "$out/build.txt" 2>&1 &&
   cmake --build "$build" -j"$jobs" --target rrcnn rrcnn_gpu_tests rrcnn_gpu_host_tests \
      rrcnn_gpu_interop_tests >> "$out/build.txt" 2>&1; then
  ok "build for sm_$arch ($((SECONDS - t)) s)"
else
  fail "build for sm_$arch ($((SECONDS - t)) s); first errors:"
  grep -m 12 -E "error|Error" "$out/build.txt" | cut -c1-160 | tee -a "$summary"
  finish
fi

# ---- suites. run NAME LIMIT_S CMD...: output appended to tests.txt; sets $rc and $log.
run() {
  local name=$1 limit=$2
  shift 2
  log="$out/.$name.log"
  local t0=$SECONDS
  timeout "$limit" "$@" > "$log" 2>&1
  rc=$?
  secs=$((SECONDS - t0))
  { echo "==== $name (rc $rc, $secs s): $*"; cat "$log"; } >> "$tests_log"
  [ "$rc" -eq 124 ] && say "      $name ran past its ${limit} s limit"
}
# The doctest totals and the first failed checks of the last run, indented.
details() {
  grep -E "^\[doctest\] (test cases|assertions):" "$log" | sed 's/^/      /' | tee -a "$summary"
  grep -A3 -E "ERROR:|FATAL ERROR:" "$log" | grep -vE "^--$" | head -n 12 | cut -c1-170 |
    sed 's/^/      /' | tee -a "$summary"
}

run gpu_host 120 "$build/tests/gpu/rrcnn_gpu_host_tests"
if [ "$rc" -eq 0 ]; then ok "gpu_host: $(head -n1 "$log" | cut -c1-150) ($secs s)"; else fail "gpu_host (rc $rc)"; details; fi

run gpu_no_device 120 env CUDA_VISIBLE_DEVICES=-1 RRCNN_EXPECT_NO_DEVICE=1 "$build/tests/gpu/rrcnn_gpu_host_tests"
if [ "$rc" -eq 0 ]; then ok "gpu_no_device: devices hidden -> $(head -n1 "$log" | cut -d: -f2- | cut -c1-110)"; else fail "gpu_no_device (rc $rc)"; details; fi

run gpu 480 "$build/tests/gpu/rrcnn_gpu_tests"
kernels_ok=$(grep -c '^\[kernel\].* OK$' "$log")
kernels_bad=$(grep -c '^\[kernel\].* FAIL$' "$log")
if [ "$rc" -eq 0 ]; then
  ok "gpu suite ($secs s): $kernels_ok kernel comparisons OK"
  grep -E "^\[doctest\] (test cases|assertions):" "$log" | sed 's/^/      /' | tee -a "$summary"
elif [ "$rc" -eq 77 ]; then
  fail "gpu suite skipped on a GPU machine: $(head -n1 "$log" | cut -c1-150)"
else
  fail "gpu suite (rc $rc, $secs s): $kernels_ok kernel comparisons OK, $kernels_bad FAIL"
  grep '^\[kernel\].* FAIL$' "$log" | head -n 10 | cut -c1-150 | sed 's/^/      /' | tee -a "$summary"
  head -n1 "$log" | cut -c1-150 | sed 's/^/      /' | tee -a "$summary"
  details
fi

run gpu_interop 180 "$build/tests/gpu/rrcnn_gpu_interop_tests"
if [ "$rc" -eq 0 ]; then
  ok "gpu_interop ($secs s): $(head -n1 "$log" | cut -d: -f2- | cut -c1-120)"
  grep '^\[interop\]' "$log" | cut -c1-170 | sed 's/^/      /' | tee -a "$summary"
elif [ "$rc" -eq 77 ]; then
  if [ "${REQUIRE_INTEROP:-0}" = 1 ]; then fail "gpu_interop not exercised: $(head -n1 "$log" | cut -c1-140)"
  else note "gpu_interop NOT EXERCISED: $(head -n1 "$log" | cut -c1-140)"; fi
else
  fail "gpu_interop (rc $rc, $secs s)"
  head -n1 "$log" | cut -c1-150 | sed 's/^/      /' | tee -a "$summary"
  details
fi

# ---- throughput (never asserted; numbers for docs/benchmarks.md)
t=$SECONDS
timeout 180 "$build/app/rrcnn" bench --backend cuda --seconds 3 > "$out/bench_cuda.json" 2> "$out/.bench.err"
rc=$?
if [ "$rc" -eq 0 ]; then
  ok "bench --backend cuda ($((SECONDS - t)) s):"
  python3 - "$out/bench_cuda.json" << 'PY' 2>/dev/null | tee -a "$summary" || sed 's/^/      /' "$out/bench_cuda.json" | tee -a "$summary"
import json, sys
j = json.load(open(sys.argv[1]))
print("      %s" % j.get("device"))
for k in ("rollout_8", "rollout_large", "train"):
    if isinstance(j.get(k), dict):
        print("      %-14s %10.2f steps/s  %8.1f GFLOP/s" % (k, j[k]["steps_per_s"], j[k]["gflops"]))
PY
else
  fail "bench --backend cuda (rc $rc): $(tail -n1 "$out/.bench.err" | cut -c1-150)"
fi
{ echo "==== bench stderr"; cat "$out/.bench.err"; } >> "$tests_log"
rm -f "$out"/.*.log "$out/.bench.err"
finish
