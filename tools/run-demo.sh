#!/usr/bin/env bash
# The main job: install, build the command line and the plugin, render the bundled demo input
# through the bundled default model, and install the plugin bundles for the current user.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGS_BUILD_PLUGIN=ON
cmake --build build -j"$(nproc)" --target grustream GruStream_VST3 GruStream_LV2 GruStream_Standalone

model=resources/models/default_effect.json
mkdir -p build/demo
build/tools/grustream/grustream info "$model"
build/tools/grustream/grustream render "$model" resources/demo/demo_input.wav build/demo/demo_output.wav

artefacts=build/plugin/GruStream_artefacts/Release
mkdir -p "$HOME/.vst3" "$HOME/.lv2"
rm -rf "$HOME/.vst3/GruStream.vst3" "$HOME/.lv2/GruStream.lv2"
cp -r "$artefacts/VST3/GruStream.vst3" "$HOME/.vst3/"
cp -r "$artefacts/LV2/GruStream.lv2" "$HOME/.lv2/"

echo
echo "Rendered the demo:     $(pwd)/build/demo/demo_output.wav"
echo "Installed the VST3:    $HOME/.vst3/GruStream.vst3"
echo "Installed the LV2:     $HOME/.lv2/GruStream.lv2"
echo "Standalone app:        $(pwd)/$artefacts/Standalone/GruStream"
echo "The default model is a trained overdrive; how it was made: docs/models.md"
