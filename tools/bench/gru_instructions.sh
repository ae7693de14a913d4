#!/usr/bin/env bash
# Instructions per sample (callgrind: repeatable where wall times are not) of GruStream's
# kernel, the dynamic-size Eigen step and the plain-loop reference, GRU(1->H) + Dense, one
# sample at a time, and of the kernel on digital silence (idle skipping). Setup cost is
# removed by subtracting a run of 0 samples.
# Usage: tools/bench/gru_instructions.sh [build-dir]   (built with -DGS_BUILD_BENCHMARKS=ON)
# GS_KERNEL_ISA=avx2 (etc.) in the environment measures a narrower instruction set.
set -euo pipefail
build=${1:-build}
workload=$build/tests/bench/gru_workload
samples=20000
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$workload" "$1" "$2" "$3" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
perSample() { echo $(( ($(count "$1" "$2" $samples) - $(count "$1" "$2" 0)) / samples )); }
printf "%-5s %12s %12s %12s %10s %10s\n" H kernel eigen loops "eigen/k" "loops/k"
for hidden in 8 16 32 40 64 128; do
  k=$(perSample kernel $hidden); e=$(perSample eigen $hidden); l=$(perSample loops $hidden)
  awk -v h="$hidden" -v k="$k" -v e="$e" -v l="$l" \
    'BEGIN { printf "%-5s %12d %12d %12d %9.1fx %9.1fx\n", h, k, e, l, e / k, l / k }'
done
echo "default effect (GRU 40) on digital silence, idle skipping: $(perSample silence 40) instructions per sample"
