#!/usr/bin/env bash
# The prepared GPU run (issues 11, 21): everything the CUDA path needs checked on a real GPU, and
# our throughput beside PyTorch's and the original's (cax on JAX), in one command, on a machine
# with an NVIDIA GPU, CMake, nvcc and a C++ compiler (no Debian -dev packages, maybe no make).
#   toolchain       printed first (nvcc, the C++ compiler and its standard library, CMake, the
#                   build tool, where cuBLAS and the static CUDA runtime are); stops with one
#                   line naming what is missing
#   build           the minimal configuration (GUI, BLAS, zlib off) for the local GPU, with Ninja
#                   (make when there is no ninja)
#   gpu_host        the CUDA probe and the fallback paths (must pass)
#   gpu_no_device   the same with CUDA_VISIBLE_DEVICES=-1: the no-device path (must pass)
#   gpu             per-kernel parity ([kernel] lines), trajectories, training, graphs, threads,
#                   failed growth (must pass; "skipped" here is a failure); --quick: the kernels
#                   and one case of each other kind
#   gpu_interop     CUDA-GL interop on a headless EGL context, with its cost per frame; without
#                   a GL context or a buffer CUDA can register: "not exercised: <reason>" (a
#                   failure only with REQUIRE_INTEROP=1); an interop error past that fails
#   memcheck        (--memcheck) compute-sanitizer --tool memcheck over the kernel tests
#   bench           rrcnn bench --backend cuda, then the peers on the same GPU: PyTorch eager
#                   and with CUDA graphs (tools/peers/bench_torch.py --device cuda [--graphs]),
#                   cax on JAX (tools/reference/bench_reference.py; the cax wheel carried in
#                   .whl/), and the ratios ours / peer (tools/peers/side_by_side.py)
# Every part runs under a time limit (the test suites' add up to 270 s, 130 s with --quick) and
# within the run's budget (BUDGET_S: 540 s, 330 s with --quick): a part that would not fit is
# reported "not run" and the summary still comes. Exits non-zero on any failure; the peers only
# measure (a peer that cannot run is a note).
# Outputs under $OUT (default out/device): summary.txt, build.txt, tests.txt, bench_cuda.json,
# bench_torch_eager.json, bench_torch_graphs.json, bench_reference.json.
# Usage: bash tools/device/gpu_check.sh [--quick] [--memcheck] [--no-peers]
#   (prepare here first with tools/device/prepare_carry.sh; docs/gpu-checks.md has the details)
# Environment: OUT, BUILD_DIR, DOCTEST_DIR, CLI11_DIR, JSON_DIR, JOBS, CXX, CUDACXX, CMAKE_GENERATOR, BUDGET_S,
#   BUILD_LIMIT_S (300; a dry run on 2 cores needs more),
#   REQUIRE_INTEROP=1, PYTHON (default python3), EXTRA_CMAKE_ARGS (e.g. a host compiler's flags)
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
quick=0
memcheck=0
peers=1
for a in "$@"; do
  case "$a" in
    --quick) quick=1 ;;
    --memcheck) memcheck=1 ;;
    --no-peers) peers=0 ;;
    -h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "gpu_check.sh: unknown option '$a' (--quick, --memcheck, --no-peers, --help)" >&2; exit 2 ;;
  esac
done
out="${OUT:-out/device}"
build="${BUILD_DIR:-build-gpu}"
doctest_dir="$(realpath -m "${DOCTEST_DIR:-out/doctest}")"
cli11_dir="$(realpath -m "${CLI11_DIR:-out/cli11}")"
json_dir="$(realpath -m "${JSON_DIR:-out/json}")"
jobs="${JOBS:-$(nproc 2>/dev/null || echo 8)}"
python="${PYTHON:-python3}"
if [ "$quick" = 1 ]; then budget="${BUDGET_S:-330}"; else budget="${BUDGET_S:-540}"; fi
mkdir -p "$out"
summary="$out/summary.txt"
tests_log="$out/tests.txt"
: > "$summary"
: > "$tests_log"
: > "$out/build.txt"
failures=0
start=$SECONDS

say() { echo "$*" | tee -a "$summary"; }
ok() { say "ok    $*"; }
fail() { say "FAIL  $*"; failures=$((failures + 1)); }
note() { say "note  $*"; }
indent() { cut -c1-170 | sed 's/^/      /' | tee -a "$summary"; }
finish() {
  say "total $((SECONDS - start)) s (budget ${budget} s)"
  if [ "$failures" -eq 0 ]; then say "RESULT: PASS"; else say "RESULT: FAIL ($failures)"; fi
  rm -f "$out"/.*.log
  [ "$failures" -eq 0 ]
  exit $?
}
# limit NAME SECONDS: the part's limit cut to what is left of the budget (10 s kept for the
# summary); 0 when less than MIN (default 10) seconds would remain, and the part is not run.
limit_for() {
  local want=$2 min=${3:-10} left=$((budget - (SECONDS - start) - 10))
  if [ "$left" -lt "$min" ]; then echo 0; elif [ "$left" -lt "$want" ]; then echo "$left"; else echo "$want"; fi
}

commit="$(git rev-parse --short HEAD 2> /dev/null || cat .commit 2> /dev/null || echo 'unknown (no .git)')"
say "== RRCNN Studio GPU check$([ "$quick" = 1 ] && echo ' (--quick)'), $(date -u +%FT%TZ), commit $commit"

# ---- toolchain, first: what this machine has, and one line for what it lacks
missing=()
nvcc="${CUDACXX:-$(command -v nvcc || true)}"
[ -z "$nvcc" ] && [ -x /usr/local/cuda/bin/nvcc ] && nvcc=/usr/local/cuda/bin/nvcc
cxx="${CXX:-$(command -v g++ || command -v c++ || command -v clang++ || true)}"
generator="${CMAKE_GENERATOR:-}"
if [ -z "$generator" ]; then
  if command -v ninja > /dev/null; then generator=Ninja
  elif command -v make > /dev/null; then generator="Unix Makefiles"; fi
fi
if command -v cmake > /dev/null; then say "cmake:    $(cmake --version | head -n1)"; else missing+=("cmake"); fi
case "$generator" in
  Ninja) if command -v ninja > /dev/null; then say "build:    Ninja $(ninja --version) ($(command -v ninja))"; else missing+=("ninja (CMAKE_GENERATOR=Ninja)"); fi ;;
  "Unix Makefiles") if command -v make > /dev/null; then say "build:    make ($(make --version | head -n1))"; else missing+=("make"); fi ;;
  "") missing+=("a build tool (ninja or make)") ;;
  *) say "build:    $generator (CMAKE_GENERATOR)" ;;
esac
if [ -n "$cxx" ] && command -v "${cxx%% *}" > /dev/null; then
  # The standard library decides which headers come along (issue 21: g++ 13 dropped <cstdint>
  # from <string>): name it and its version.
  lib="$(echo '#include <cstddef>' | $cxx ${CXXFLAGS:-} -x c++ -dM -E - 2> /dev/null |
         awk '/define _LIBCPP_VERSION /{print "libc++ " $3} /define __GLIBCXX__ /{print "libstdc++ " $3}
              /define _GLIBCXX_RELEASE /{print "(release " $3 ")"}' | paste -sd' ')"
  say "c++:      $($cxx --version | head -n1) ($cxx${CXXFLAGS:+ $CXXFLAGS}), ${lib:-standard library unknown}"
else
  missing+=("a C++ compiler (g++, c++ or clang++; or set CXX)")
fi
cuda_root=""
if [ -n "$nvcc" ] && [ -x "$nvcc" ]; then
  say "nvcc:     $("$nvcc" --version | grep -m1 -o 'release [^,]*, V[0-9.]*') ($nvcc)"
  cuda_root="$(cd "$(dirname "$(readlink -f "$nvcc")")/.." && pwd)"
else
  missing+=("nvcc (put it on PATH or set CUDACXX)")
fi
find_lib() {  # find_lib NAME: the first file of that name under the CUDA toolkit's library folders
  local d
  for d in "$cuda_root/lib64" "$cuda_root/lib" "$cuda_root"/targets/*/lib /usr/lib/x86_64-linux-gnu; do
    ls "$d"/$1 2> /dev/null | head -n1
  done | head -n1
}
if [ -n "$cuda_root" ]; then
  cublas="$(find_lib 'libcublas.so*')"
  cudart_static="$(find_lib libcudart_static.a)"
  if [ -n "$cublas" ]; then say "cuBLAS:   $cublas"; else missing+=("cuBLAS (libcublas.so under $cuda_root)"); fi
  if [ -n "$cudart_static" ]; then say "cudart:   $cudart_static (static runtime)"; else missing+=("the static CUDA runtime (libcudart_static.a under $cuda_root)"); fi
fi
if [ ! -f "$doctest_dir/doctest/doctest.h" ] && [ ! -f /usr/include/doctest/doctest.h ]; then
  missing+=("doctest/doctest.h under $doctest_dir (run tools/device/prepare_carry.sh here and carry out/doctest)")
fi
if [ ! -f "$cli11_dir/CLI/CLI.hpp" ] && [ ! -f /usr/include/CLI/CLI.hpp ]; then
  missing+=("CLI/CLI.hpp under $cli11_dir (run tools/device/prepare_carry.sh here and carry out/cli11)")
fi
if [ ! -f "$json_dir/nlohmann/json.hpp" ] && [ ! -f /usr/include/nlohmann/json.hpp ]; then
  missing+=("nlohmann/json.hpp under $json_dir (run tools/device/prepare_carry.sh here and carry out/json)")
fi
gpu="$(nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total --format=csv,noheader 2> /dev/null | head -n1)"
arch="$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2> /dev/null | head -n1 | tr -d '. ')"
say "device:   ${gpu:-none (nvidia-smi found no GPU)}"
sanitizer="$(command -v compute-sanitizer || ls "$cuda_root"/bin/compute-sanitizer "$cuda_root"/compute-sanitizer/compute-sanitizer 2> /dev/null | head -n1)"
say "python:   $("$python" --version 2>&1 | head -n1); $("$python" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)' 2> /dev/null || echo 'no torch'); $("$python" -c 'import jax; print("jax", jax.__version__)' 2> /dev/null || echo 'no jax')"
if [ ${#missing[@]} -gt 0 ]; then
  fail "toolchain: missing $(IFS=';'; echo "${missing[*]}" | sed 's/;/; /g')"
  finish
fi
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
t=$SECONDS
lim=$(limit_for build "${BUILD_LIMIT_S:-300}" 60)
# shellcheck disable=SC2086
if [ "$lim" -gt 0 ] &&
   timeout "$lim" cmake -S . -B "$build" -G "$generator" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CUDA_COMPILER="$nvcc" -DRRCNN_GUI=OFF -DRRCNN_BLAS=OFF \
      -DRRCNN_ZLIB=OFF -DRRCNN_PYTHON=OFF -DRRCNN_CUDA=ON -DRRCNN_SANITIZED_SUITE=OFF -DRRCNN_TSAN_WORKERS_TEST=OFF \
      -DCMAKE_CUDA_ARCHITECTURES="$arch" -DRRCNN_DOCTEST_DIR="$doctest_dir" -DRRCNN_CLI11_DIR="$cli11_dir" \
      -DRRCNN_JSON_DIR="$json_dir" ${EXTRA_CMAKE_ARGS:-} \
      >> "$out/build.txt" 2>&1 &&
   timeout $((lim - (SECONDS - t) > 1 ? lim - (SECONDS - t) : 1)) cmake --build "$build" -j"$jobs" \
      --target rrcnn rrcnn_gpu_tests rrcnn_gpu_host_tests rrcnn_gpu_interop_tests >> "$out/build.txt" 2>&1; then
  ok "build for sm_$arch with $generator ($((SECONDS - t)) s)"
else
  if [ "$lim" -eq 0 ]; then fail "build not run: the ${budget} s budget is spent"
  elif [ $((SECONDS - t)) -ge "$lim" ]; then
    fail "build for sm_$arch with $generator ran past its $lim s limit; last lines:"
    tail -n 3 "$out/build.txt" | indent
  else
    fail "build for sm_$arch with $generator ($((SECONDS - t)) s); first errors:"
    grep -m 12 -E "error|Error|No such file" "$out/build.txt" | indent
  fi
  finish
fi

# ---- suites. run NAME LIMIT_S CMD...: output appended to tests.txt; sets $rc, $secs and $log.
run() {
  local name=$1 want=$2
  shift 2
  log="$out/.$name.log"
  local lim
  lim=$(limit_for "$name" "$want")
  : > "$log"
  if [ "$lim" -eq 0 ]; then
    rc=125; secs=0
    echo "==== $name: not run, the run's ${budget} s budget is spent" >> "$tests_log"
    return
  fi
  local t0=$SECONDS
  timeout "$lim" "$@" > "$log" 2>&1
  rc=$?
  secs=$((SECONDS - t0))
  { echo "==== $name (rc $rc, $secs s, limit $lim s): $*"; cat "$log"; } >> "$tests_log"
  [ "$rc" -eq 124 ] && say "      $name ran past its ${lim} s limit"
}
not_run() { [ "$rc" -eq 125 ] && [ "$secs" -eq 0 ]; }
# The doctest totals and the first failed checks of the last run, indented.
details() {
  grep -E "^\[doctest\] (test cases|assertions):" "$log" | indent
  grep -A3 -E "ERROR:|FATAL ERROR:" "$log" | grep -vE "^--$" | head -n 12 | indent
}
tests="$build/tests/gpu"
# --quick: the kernel table plus one case of each kind the full suite has more of.
quick_cases="kernels*,live steps match the CPU at every one*,one train_step matches*,bitwise determinism*,growth that fails half way*"
gpu_args=()
[ "$quick" = 1 ] && gpu_args=("--test-case=$quick_cases")

run gpu_host 20 "$tests/rrcnn_gpu_host_tests"
if [ "$rc" -eq 0 ]; then ok "gpu_host: $(head -n1 "$log" | cut -c1-150) ($secs s)"
elif not_run; then fail "gpu_host not run: the ${budget} s budget is spent"
else fail "gpu_host (rc $rc)"; details; fi

run gpu_no_device 20 env CUDA_VISIBLE_DEVICES=-1 RRCNN_EXPECT_NO_DEVICE=1 "$tests/rrcnn_gpu_host_tests"
if [ "$rc" -eq 0 ]; then ok "gpu_no_device: devices hidden -> $(head -n1 "$log" | cut -d: -f2- | cut -c1-110)"
elif not_run; then fail "gpu_no_device not run: the ${budget} s budget is spent"
else fail "gpu_no_device (rc $rc)"; details; fi

if [ "$quick" = 1 ]; then gpu_limit=60; else gpu_limit=200; fi
run gpu "$gpu_limit" "$tests/rrcnn_gpu_tests" "${gpu_args[@]}"
kernels_ok=$(grep -c '^\[kernel\].* OK$' "$log")
kernels_bad=$(grep -c '^\[kernel\].* FAIL$' "$log")
if [ "$rc" -eq 0 ]; then
  ok "gpu suite$([ "$quick" = 1 ] && echo ' (quick subset)') ($secs s): $kernels_ok kernel comparisons OK"
  grep -E "^\[doctest\] (test cases|assertions):" "$log" | indent
elif not_run; then
  fail "gpu suite not run: the ${budget} s budget is spent"
elif [ "$rc" -eq 77 ]; then
  fail "gpu suite skipped on a GPU machine: $(head -n1 "$log" | cut -c1-150)"
else
  fail "gpu suite (rc $rc, $secs s): $kernels_ok kernel comparisons OK, $kernels_bad FAIL"
  grep '^\[kernel\].* FAIL$' "$log" | head -n 10 | indent
  head -n1 "$log" | indent
  details
fi

run gpu_interop 30 "$tests/rrcnn_gpu_interop_tests"
if [ "$rc" -eq 0 ]; then
  ok "gpu_interop ($secs s): $(head -n1 "$log" | cut -d: -f2- | cut -c1-120)"
  grep '^\[interop\]' "$log" | indent
elif [ "$rc" -eq 77 ] || not_run; then
  why="$(head -n1 "$log" | sed 's/^rrcnn_gpu_interop_tests: skipped[^:]*: //' | cut -c1-140)"
  not_run && why="the ${budget} s budget is spent"
  if [ "${REQUIRE_INTEROP:-0}" = 1 ]; then fail "gpu_interop not exercised: $why"
  else note "gpu_interop not exercised: $why"; fi
else
  fail "gpu_interop (rc $rc, $secs s)"
  head -n1 "$log" | indent
  details
fi

# ---- compute-sanitizer memcheck over the kernel tests (their inputs are small: seconds)
if [ "$memcheck" = 1 ]; then
  if [ -z "$sanitizer" ]; then
    note "memcheck not run: no compute-sanitizer on this machine"
  else
    run memcheck 90 "$sanitizer" --tool memcheck --error-exitcode 99 --print-limit 20 \
      "$tests/rrcnn_gpu_tests" "--test-case=kernels*"
    if [ "$rc" -eq 0 ]; then ok "memcheck over the kernel tests ($secs s): $(grep -m1 'ERROR SUMMARY' "$log" | cut -c1-100)"
    elif not_run; then note "memcheck not run: the ${budget} s budget is spent"
    elif grep -qiE "device not supported|unable to (attach|initialize)|not supported on this" "$log"; then
      note "memcheck not exercised: $(grep -m1 -iE 'not supported|unable to' "$log" | cut -c1-140)"
    else
      fail "memcheck over the kernel tests (rc $rc, $secs s)"
      grep -m 8 -E "Invalid|ERROR SUMMARY|at 0x|by thread" "$log" | indent
    fi
  fi
fi

# ---- throughput (never asserted; numbers for docs/benchmarks.md), ours then the peers
if [ "$quick" = 1 ]; then bench_s=1; else bench_s=3; fi
run bench 60 "$build/app/rrcnn" bench --backend cuda --seconds "$bench_s"
cp "$log" "$out/bench_cuda.json.raw"
# rrcnn bench prints the JSON on stdout and notes on stderr, both in the log: keep the object.
sed -n '/^{/,/^}/p' "$out/bench_cuda.json.raw" > "$out/bench_cuda.json"; rm -f "$out/bench_cuda.json.raw"
if [ "$rc" -eq 0 ]; then ok "bench --backend cuda ($secs s)"
elif not_run; then fail "bench --backend cuda not run: the ${budget} s budget is spent"
else fail "bench --backend cuda (rc $rc): $(grep -v '^[{} ]' "$log" | tail -n1 | cut -c1-150)"; fi

peer_files=()
if [ "$peers" = 1 ]; then
  # peer NAME LIMIT FILE CMD...: a peer that cannot run is a note, never a failure of the run.
  peer() {
    local name=$1 want=$2 file=$3
    shift 3
    run "$name" "$want" "$@"
    sed -n '/^{/,/^}/p' "$log" > "$out/$file"
    if [ "$rc" -eq 0 ] && [ -s "$out/$file" ]; then
      peer_files+=("$out/$file"); ok "$name ($secs s)"
    elif not_run; then note "$name not run: the ${budget} s budget is spent"; rm -f "$out/$file"
    else note "$name could not run (rc $rc): $(grep -vE '^\s*$' "$log" | tail -n1 | cut -c1-140)"; rm -f "$out/$file"; fi
  }
  torch_args=(--device cuda --seconds "$bench_s" --peak-size 0)
  peer torch_eager 60 bench_torch_eager.json "$python" tools/peers/bench_torch.py "${torch_args[@]}"
  peer torch_graphs 60 bench_torch_graphs.json "$python" tools/peers/bench_torch.py "${torch_args[@]}" --graphs
  # The original: cax from the carried wheel (pure Python; jax, flax and optax are on the image).
  site="$(mktemp -d)"
  if ls .whl/cax-*.whl > /dev/null 2>&1; then
    "$python" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target "$site" .whl/cax-*.whl >> "$out/build.txt" 2>&1
  fi
  if PYTHONPATH="$site${PYTHONPATH:+:$PYTHONPATH}" "$python" -c 'import cax' 2> /dev/null; then
    peer reference_jax 90 bench_reference.json env PYTHONPATH="$site${PYTHONPATH:+:$PYTHONPATH}" \
      XLA_PYTHON_CLIENT_PREALLOCATE=false "$python" tools/reference/bench_reference.py --device cuda --seconds "$bench_s"
  else
    note "reference_jax not run: no cax (carry .whl/cax-*.whl, made by tools/device/prepare_carry.sh)"
  fi
fi
if [ -s "$out/bench_cuda.json" ]; then
  "$python" tools/peers/side_by_side.py "$out/bench_cuda.json" "${peer_files[@]}" 2> "$out/.side.log" |
    indent || { note "side_by_side.py: $(tail -n1 "$out/.side.log" | cut -c1-150)"; }
fi
finish
