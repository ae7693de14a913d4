#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14, AddressSanitizer and UndefinedBehaviorSanitizer,
# and runs each for SECONDS (default 60) on a copy of the seed corpus. Any crash, sanitizer
# report, leak, timeout (10 s per input) or memory blow-up (2 GB) fails the run; the input
# that did it is left in build-fuzz/findings/ (turn it into a regression test).
# Usage: tools/run-fuzzers.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

tools/install-deps.sh clang-14 libclang-rt-14-dev
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 \
  -DCMAKE_CXX_COMPILER=clang++-14 -DGS_SANITIZER=address -DGS_BUILD_FUZZERS=ON -DGS_BUILD_TESTS=OFF
cmake --build build-fuzz -j"$(nproc)" --target fuzz_model_loader fuzz_osc fuzz_frame_csv fuzz_plugin_state

mkdir -p build-fuzz/findings
for target in model_loader:model osc:osc frame_csv:csv plugin_state:state; do
  name=${target%%:*}
  corpus=build-fuzz/corpus/${target##*:}
  mkdir -p "$corpus"
  cp -n tests/fuzz/corpus/${target##*:}/* "$corpus"/
  echo "== fuzz_$name for ${seconds}s"
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    build-fuzz/tests/fuzz/fuzz_$name "$corpus" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -max_len=65536 -artifact_prefix=build-fuzz/findings/"$name"- -print_final_stats=1 \
      2>&1 | tail -n 12
done
echo "fuzzers: no findings"
