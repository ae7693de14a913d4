#pragma once
// `GruStreamSensor --headless`: no window, events logged to stdout, one line each:
//
//   ready source="OSC /wek/inputs (6 values) on UDP port 6448" output="OSC to 127.0.0.1:12000"
//   onset shake frame=100 time=1.000 probability=0.9999 latency_ms=0.081
//   offset shake onset_frame=100 offset_frame=250 peak=0.9999
//   stats frames_received=1000 frames_processed=1000 dropped=0 queue_full=0 events=8 ...
//
// Runs until SIGINT/SIGTERM, --duration, or the end of a replay. Returns the exit code:
// 0, 2 for unusable options, 3 for an unusable model, 1 for anything else.

#include "sensor_options.h"

namespace gs::sensor {

int runHeadless(const SensorOptions& options);

}  // namespace gs::sensor
