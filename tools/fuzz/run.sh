#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan + UBSan) in build-fuzz/ and runs each for
# SECONDS, one after the other, under nice: IDX reader, checkpoint reader, studio script parser.
#   tools/fuzz/run.sh SECONDS [TARGET...]     (targets: idx checkpoint script; default all)
# Work corpora grow in build-fuzz/corpus/TARGET (seeded from tests/fuzz/corpus/TARGET), logs go
# to build-fuzz/logs/TARGET.log, crashing inputs to build-fuzz/artifacts/TARGET/. A crash ends
# the script with status 1 and names the input; copy it to tests/fuzz/regressions/TARGET/ once
# fixed, so the ordinary test suite replays it.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:?usage: tools/fuzz/run.sh SECONDS [idx|checkpoint|script ...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(idx checkpoint script)
CC=${CC:-clang-14}
CXX=${CXX:-clang++-14}
build=${RRCNN_FUZZ_BUILD:-build-fuzz}

CC=$CC CXX=$CXX nice -n 5 cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRRCNN_FUZZ=ON \
  -DRRCNN_TESTS=OFF -DRRCNN_GUI=OFF -DRRCNN_CUDA=OFF -DRRCNN_BLAS=OFF >/dev/null
nice -n 5 cmake --build "$build" -j2 --target $(printf 'rrcnn_fuzz_%s ' "${targets[@]}")

status=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t" artifacts="$build/artifacts/$t"
  mkdir -p "$corpus" "$artifacts" "$build/logs"
  cp -n tests/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
  dict=()
  [ -f tests/fuzz/"$t".dict ] && dict=(-dict=tests/fuzz/"$t".dict)
  echo "fuzzing $t for $seconds s (log: $build/logs/$t.log)"
  # -rss_limit_mb: a reader that allocates gigabytes for a small file is a finding too.
  if nice -n 10 "$build/tests/fuzz/rrcnn_fuzz_$t" "$corpus" "${dict[@]}" -max_total_time="$seconds" \
      -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len=65536 -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" >"$build/logs/$t.log" 2>&1; then
    grep -E "^stat::(number_of_executed_units|new_units_added|peak_rss_mb)|Done [0-9]+ runs" \
      "$build/logs/$t.log" | sed "s/^/  $t: /" || true
    echo "  $t: corpus $(ls "$corpus" | wc -l) files, no crash"
  else
    status=1
    echo "  $t: CRASH, see $build/logs/$t.log; inputs: $(ls "$artifacts" | tr '\n' ' ')"
  fi
done
exit $status
