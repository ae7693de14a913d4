#!/usr/bin/env bash
# What a sample of silence costs against a sample of signal, in instructions (callgrind), for
# the engine as shipped (idle skipping on) and for the model stream with skipping off under
# the engine's denormal guard. Fails when silence costs more than 1.5x signal in either.
# Instruction counts are deterministic, but they cannot see the hardware's slow path for
# subnormal numbers: tests/unit (DenormalGuard test) proves no subnormal reaches the state.
# Usage: tools/check-silence-cost.sh [build-dir]   (ctest runs it as soak_silence_cost)
set -euo pipefail
build=${1:-build}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" \
  "$build/tests/soak/engine_soak" --silence-cost > "$out/stdout" 2> "$out/stderr"
read -r signal silence < <(sed -n 's/^samples per channel: signal \([0-9]*\), silence \([0-9]*\)$/\1 \2/p' "$out/stdout")
callgrind_annotate --inclusive=yes "$out/callgrind.out" > "$out/annotated"
instructions() {  # inclusive instructions of the function named $1
  grep -m1 "::$1(" "$out/annotated" | awk '{ gsub(",", "", $1); print $1 }'
}
status=0
printf "%-28s %16s %16s %8s\n" path "signal instr/smp" "silence instr/smp" ratio
for path in engine unskipped; do
  s=$(instructions "${path}SignalPhase")
  q=$(instructions "${path}SilencePhase")
  line=$(awk -v s="$s" -v q="$q" -v ns="$signal" -v nq="$silence" 'BEGIN {
    a = s / (2 * ns); b = q / (2 * nq); printf "%16.0f %16.0f %8.2f %d", a, b, b / a, (b / a <= 1.5) }')
  read -r per_signal per_silence ratio ok <<< "$line"
  label=$([ "$path" = engine ] && echo "engine (idle skipping on)" || echo "model, skipping off")
  printf "%-28s %16s %16s %8s\n" "$label" "$per_signal" "$per_silence" "$ratio"
  if [ "$ok" != 1 ]; then echo "FAIL: silence costs more than 1.5x signal on the $label path"; status=1; fi
done
exit $status
