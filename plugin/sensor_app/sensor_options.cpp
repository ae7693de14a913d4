#include "sensor_options.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <map>

namespace gs::sensor {

ParsedOptions parseSensorOptions(const std::vector<std::string>& arguments) {
    ParsedOptions parsed;
    SensorOptions& o = parsed.options;
    CLI::App app{"GruStream Sensor: live gesture and pattern detection from sensor streams",
                 "GruStreamSensor"};
    const std::map<std::string, InputKind> inputs{
        {"osc", InputKind::Osc}, {"audio", InputKind::Audio}, {"replay", InputKind::Replay}};
    app.add_option("--model", o.model,
                   "Detector model file (default: the bundled gesture detector)");
    app.add_option("--input", o.input, "Where frames come from: osc, audio or replay")
        ->transform(CLI::CheckedTransformer(inputs, CLI::ignore_case));
    app.add_option("--osc-port", o.oscPort, "UDP port to receive OSC frames on (0: any free port)")
        ->check(CLI::Range(0, 65535));
    app.add_option("--osc-address", o.oscAddress, "OSC address of the frames");
    app.add_option("--replay", o.replayFile,
                   "Replay a recorded CSV of frames (implies --input replay)");
    app.add_flag("--fast", o.replayFast, "Replay as fast as possible instead of in real time");
    app.add_option("--audio-device", o.audioDevice, "Audio input device (default: the system's)");
    app.add_option("--send-host", o.output.host, "Where OSC events go");
    app.add_option("--send-port", o.output.port, "UDP port OSC events go to (0: none)")
        ->check(CLI::Range(0, 65535));
    app.add_flag("--probabilities", o.output.sendProbabilities,
                 "Also send every frame's scores as /grustream/probabilities");
    app.add_option("--midi-output", o.output.midiOutput,
                   "Send MIDI notes to the output whose name contains this");
    app.add_option("--midi-virtual", o.output.midiVirtual,
                   "Create a virtual MIDI output of this name and send to it");
    app.add_option("--midi-channel", o.output.midiChannel, "MIDI channel 1-16")
        ->check(CLI::Range(1, 16));
    app.add_option("--midi-note", o.output.midiBaseNote, "MIDI note of the first class")
        ->check(CLI::Range(0, 127));
    app.add_option("--on", o.detection.onLevel,
                   "Score at which a detection starts, 0-1 (all classes)")
        ->check(CLI::Range(0.0f, 1.0f));
    app.add_option("--off", o.detection.offLevel, "Score below which it ends, 0-1")
        ->check(CLI::Range(0.0f, 1.0f));
    app.add_option("--min-duration-ms", o.detection.minDurationMs,
                   "Time a score must hold before the onset is sent")
        ->check(CLI::Range(0.0, 3.6e6));
    app.add_option("--refractory-ms", o.detection.refractoryMs,
                   "Time after a detection before the class can fire again")
        ->check(CLI::Range(0.0, 3.6e6));
    app.add_option("--background", o.detection.background,
                   "A class that is scored but never fires (overrides the model's)");
    app.add_option("--record", o.recordFile, "Record incoming frames to this CSV (for training)");
    app.add_option("--events", o.eventsFile, "Write the detections to this CSV when the app stops");
    app.add_flag("--headless", o.headless,
                 "No window: log events to stdout (installations, tests)");
    app.add_option("--duration", o.durationSeconds, "Headless: stop after this many seconds")
        ->check(CLI::Range(0.0, 1e9));
    app.add_option("--screenshot", o.screenshot,
                   "Save a PNG of the window after the replay ends, then quit");
    std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        parsed.exitCode = 0;
        parsed.message = app.help();
        return parsed;
    } catch (const CLI::ParseError& error) {
        parsed.exitCode = 2;
        parsed.message =
            std::string("GruStreamSensor: ") + error.what() + "\nRun with --help for the options.";
        return parsed;
    }
    if (!o.replayFile.empty()) o.input = InputKind::Replay;
    if (o.input == InputKind::Replay && o.replayFile.empty()) {
        parsed.exitCode = 2;
        parsed.message = "GruStreamSensor: --input replay needs --replay FILE";
    }
    if (!o.output.midiOutput.empty() && !o.output.midiVirtual.empty()) {
        parsed.exitCode = 2;
        parsed.message = "GruStreamSensor: choose --midi-output or --midi-virtual, not both";
    }
    return parsed;
}

}  // namespace gs::sensor
