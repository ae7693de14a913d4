#!/usr/bin/env bash
# The main job: install, build, and render the bundled demo input through the bundled
# default model. Output: build/demo/demo_output.wav
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGS_BUILD_TESTS=OFF
cmake --build build -j"$(nproc)" --target grustream

model=resources/models/default_effect.json
mkdir -p build/demo
build/tools/grustream/grustream info "$model"
build/tools/grustream/grustream render "$model" resources/demo/demo_input.wav build/demo/demo_output.wav
echo
echo "Rendered the demo: $(pwd)/build/demo/demo_output.wav"
echo "Note: the bundled default model is UNTRAINED (random weights); see README."
