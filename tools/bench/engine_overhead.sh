#!/usr/bin/env bash
# Engine overhead over the bare model, in instructions per sample (callgrind), at 48 kHz mono,
# block 64. Setup cost is removed by subtracting a run of 0 blocks.
# Usage: tools/bench/engine_overhead.sh [build-dir]   (built with -DGS_BUILD_BENCHMARKS=ON)
set -euo pipefail
build=${1:-build}
workload=$build/tests/bench/engine_workload
blocks=750  # 48000 samples
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$workload" "$1" "$2" "$3" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
printf "%-6s %14s %14s %10s\n" hidden "bare instr/smp" "engine instr/smp" overhead
for hidden in 8 40 64; do
  bare=$(( ($(count bare $hidden $blocks) - $(count bare $hidden 0)) / (blocks * 64) ))
  engine=$(( ($(count engine $hidden $blocks) - $(count engine $hidden 0)) / (blocks * 64) ))
  awk -v h="$hidden" -v b="$bare" -v e="$engine" \
    'BEGIN { printf "%-6s %14d %16d %9.2f%%\n", h, b, e, 100 * (e - b) / b }'
done
