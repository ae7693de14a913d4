#!/usr/bin/env bash
# Makes docs/images/sensor.png: the sensor app replaying the demo gestures up to frame 880
# (the second shake is on), under a virtual display. Needs a build with -DGS_BUILD_PLUGIN=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
app=build/plugin/sensor_app/GruStreamSensor_artefacts/Release/GruStreamSensor
head -n 881 resources/demo/demo_gestures.csv > build/demo_gestures_880.csv
xvfb-run -a "$app" --replay build/demo_gestures_880.csv --fast --send-port 0 --screenshot docs/images/sensor.png
echo "wrote docs/images/sensor.png"
