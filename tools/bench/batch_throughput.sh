#!/usr/bin/env bash
# Batch throughput with the default model: audio seconds per wall second for a folder of
# 48 kHz mono files, with --jobs 1 and --jobs 2, and the scaling between them.
# Usage: tools/bench/batch_throughput.sh [build-dir] [files] [seconds-per-file]
set -euo pipefail
build=${1:-build}
files=${2:-8}
seconds=${3:-30}
grustream=$build/tools/grustream/grustream
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$work/in" "$files" "$seconds" <<'PY'
import sys, os, wave
import numpy as np
folder, files, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
os.makedirs(folder)
rate = 48000
t = np.arange(int(rate * seconds)) / rate
for i in range(files):
    x = 0.5 * np.sin(2 * np.pi * (110 + 20 * i) * t) * np.exp(-(t % 2))
    with wave.open(f"{folder}/take{i:02d}.wav", "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
        w.writeframes(np.round(x * 32767).astype("<i2").tobytes())
PY
audio=$(awk -v f="$files" -v s="$seconds" 'BEGIN { print f * s }')
rate_for() {
  local start end
  start=$(date +%s.%N)
  "$grustream" batch resources/models/default_effect.json "$work/in" --out "$work/out$1" --jobs "$1" --quiet
  end=$(date +%s.%N)
  awk -v a="$audio" -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", a / (e - s) }'
}
one=$(rate_for 1)
two=$(rate_for 2)
echo "files: $files x $seconds s, 48 kHz mono, default model"
echo "jobs 1: $one audio s per wall s"
echo "jobs 2: $two audio s per wall s"
awk -v a="$one" -v b="$two" 'BEGIN { printf "scaling 1 -> 2 jobs: %.2fx\n", b / a }'
