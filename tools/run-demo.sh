#!/usr/bin/env bash
# The main job: install, build the command line and the plugin, render the bundled demo input
# through the bundled default model, and install the plugin bundles for the current user.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGS_BUILD_PLUGIN=ON
cmake --build build -j"$(nproc)" --target grustream GruStream_VST3 GruStream_LV2 GruStream_Standalone \
  GruStreamSensor

model=resources/models/default_effect.json
mkdir -p build/demo
build/tools/grustream/grustream info "$model"
build/tools/grustream/grustream render "$model" resources/demo/demo_input.wav build/demo/demo_output.wav

# The sensor side: the default detector over the scripted gesture recording.
build/tools/grustream/grustream detect resources/models/default_detector.json \
  resources/demo/demo_gestures.csv --events build/demo/demo_gestures_events.csv

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
echo "Detected gestures:     $(pwd)/build/demo/demo_gestures_events.csv"
echo "Sensor app:            $(pwd)/build/plugin/sensor_app/GruStreamSensor_artefacts/Release/GruStreamSensor"
echo "The default model is a trained overdrive; how it was made: docs/models.md"
