#pragma once
// The sensor app's settings, from its command line (the UI starts from them too):
//
//   GruStreamSensor [--model FILE] [--input osc|audio|replay] [--osc-port 6448]
//                   [--osc-address /wek/inputs] [--replay FILE [--fast]] [--audio-device NAME]
//                   [--send-host 127.0.0.1] [--send-port 12000] [--probabilities]
//                   [--midi-output NAME | --midi-virtual NAME] [--midi-channel 1] [--midi-note 60]
//                   [--on L] [--off L] [--min-duration-ms T] [--refractory-ms T] [--background C]
//                   [--record FILE] [--events FILE] [--headless] [--duration S] [--screenshot PNG]

#include "event_sender.h"

#include "dsp/detection_settings.h"

#include <optional>
#include <string>
#include <vector>

namespace gs::sensor {

enum class InputKind { Osc, Audio, Replay };

struct SensorOptions {
    std::string model;  // empty: the bundled default detector
    InputKind input = InputKind::Osc;
    int oscPort = 6448;
    std::string oscAddress = "/wek/inputs";
    std::string replayFile;
    bool replayFast = false;
    std::string audioDevice;
    EventSenderConfig output;
    DetectionOverrides detection;
    std::string recordFile;  // record incoming frames to this CSV
    std::string eventsFile;  // write the detections here as CSV when the app stops
    bool headless = false;
    // headless: stop after this long (0: until SIGINT/SIGTERM or replay end)
    double durationSeconds = 0.0;
    std::string screenshot;  // GUI: save a PNG of the window once a replay has finished, then quit
};

struct ParsedOptions {
    SensorOptions options;
    std::optional<int> exitCode;  // set when parsing printed help (0) or an error (2)
    std::string message;          // what to print
};

// arguments without the program name.
ParsedOptions parseSensorOptions(const std::vector<std::string>& arguments);

}  // namespace gs::sensor
