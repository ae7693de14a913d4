// `grustream detect MODEL INPUT.csv|INPUT.wav [--events OUT.csv] [--probabilities OUT.csv]`
// The sensor app's detection pipeline (dsp/FrameDetector) run offline over recorded frames.

#include "audio_file.h"
#include "commands.h"
#include "dsp/frame_detector.h"
#include "dsp/sensor_downsampler.h"
#include "exit_codes.h"
#include "model/model_error.h"
#include "model/model_loader.h"
#include "tools/sensor_io/detection_log.h"
#include "tools/sensor_io/frame_csv.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

namespace gs::cli {
namespace {

struct DetectArguments {
    std::string model;
    std::string input;
    std::string events;
    std::string probabilities;
    DetectionOverrides overrides;
};

bool isCsv(const std::filesystem::path& path) {
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension == ".csv" || extension == ".txt";
}

// Feeds every frame of the input to `onFrame`. Audio files: one channel per input, brought
// down to the frame rate by SensorDownsampler. Returns the frames fed.
std::int64_t forEachInputFrame(const std::filesystem::path& input, const RecurrentModel& model,
                               const std::function<void(const float*)>& onFrame,
                               std::int64_t& nonFinite) {
    const auto inputs = static_cast<std::size_t>(model.inputSize());
    std::vector<float> frame(inputs);
    std::int64_t count = 0;
    if (isCsv(input)) {
        FrameCsvReader reader(input, model.info().inputNames);
        while (reader.next(frame.data())) {
            onFrame(frame.data());
            ++count;
        }
        return count;
    }
    AudioFileReader reader(input);
    if (static_cast<std::size_t>(reader.channels()) != inputs)
        throw AudioFileError(input.string() + ": has " + std::to_string(reader.channels()) +
                             " channels; the model needs one per input, " + std::to_string(inputs));
    if (reader.sampleRate() < model.info().sampleRate)
        throw AudioFileError(input.string() + ": its rate (" + std::to_string(reader.sampleRate()) +
                             " Hz) is below the model's frame rate");
    SensorDownsampler downsampler;
    downsampler.prepare(reader.channels(), reader.sampleRate(), model.info().sampleRate);
    // Non-finite samples count as 0, as in the app's audio input (the downsampler does it).
    std::vector<float> block(4096 * inputs);
    while (const std::size_t read = reader.readInterleaved(block.data(), 4096)) {
        for (std::size_t i = 0; i < read; ++i) {
            for (std::size_t c = 0; c < inputs; ++c)
                nonFinite += std::isfinite(block[i * inputs + c]) ? 0 : 1;
            if (downsampler.push(block.data() + i * inputs, frame.data())) {
                onFrame(frame.data());
                ++count;
            }
        }
    }
    return count;
}

int runDetect(const DetectArguments& args) {
    std::shared_ptr<const RecurrentModel> model;
    try {
        model = loadModelFile(args.model);
    } catch (const ModelError& error) {
        return fail(exitBadModel, error.what());
    }
    const ModelInfo& info = model->info();
    if (info.task != ModelTask::Detector)
        return fail(exitBadModel, args.model + ": is an " + std::string(modelTaskName(info.task)) +
                                      " model; detect needs a detector (task \"detector\")");
    FrameDetector detector;
    try {
        detector.prepare(model, detectionSettingsFor(info, model->outputSize(), args.overrides));
    } catch (const std::invalid_argument& error) {
        return fail(exitUsage, error.what());
    }

    const auto classes = static_cast<std::size_t>(model->outputSize());
    std::vector<DetectionEvent> events(classes);
    std::vector<DetectionRecord> records;
    std::optional<FrameCsvWriter> probabilities;
    auto collect = [&](int count) {
        for (int i = 0; i < count; ++i) {
            const DetectionEvent& event = events[static_cast<std::size_t>(i)];
            if (event.edge != DetectionEdge::Offset) continue;
            records.push_back(detectionRecord(event, info.outputNames));
            if (args.events.empty())
                std::cout << detectionCsvLine(records.back(), info.sampleRate) << '\n';
        }
    };
    try {
        if (!args.probabilities.empty())
            probabilities.emplace(args.probabilities, info.outputNames);
        if (args.events.empty()) std::cout << detectionCsvHeader() << '\n';
        std::int64_t nonFiniteSamples = 0;
        const std::int64_t frames = forEachInputFrame(
            args.input, *model,
            [&](const float* frame) {
                const double time =
                    static_cast<double>(detector.framesProcessed()) / info.sampleRate;
                collect(detector.processFrame(frame, events.data()));
                if (probabilities) probabilities->writeRow(time, detector.scores(), classes);
            },
            nonFiniteSamples);
        collect(detector.finish(events.data()));
        if (probabilities) probabilities->commit();
        if (!args.events.empty()) writeDetectionCsv(args.events, records, info.sampleRate);
        std::cout.flush();
        std::map<std::string, int> perClass;
        for (const auto& record : records) ++perClass[record.className];
        std::cerr << "grustream: " << frames << " frames ("
                  << static_cast<double>(frames) / info.sampleRate << " s), " << records.size()
                  << " detections";
        for (const auto& [name, count] : perClass)
            std::cerr << (name == perClass.begin()->first ? ": " : ", ") << name << " " << count;
        if (const auto nonFinite = detector.nonFiniteValues() + nonFiniteSamples; nonFinite > 0)
            std::cerr << "; " << nonFinite << " non-finite values read as 0";
        std::cerr << '\n';
        return exitOk;
    } catch (const FrameCsvError& error) {
        return fail(exitBadAudio, error.what());
    } catch (const AudioFileError& error) {
        return fail(exitBadAudio, error.what());
    } catch (const std::exception& error) {
        return fail(exitOther, error.what());
    }
}

}  // namespace

void registerDetectCommand(CLI::App& app, int& exitCode) {
    auto args = std::make_shared<DetectArguments>();
    CLI::App* command = app.add_subcommand(
        "detect",
        "Run a detector model over recorded sensor frames (CSV, or an audio file with one "
        "channel per input) and list the detections, exactly as the sensor app would");
    command->add_option("model", args->model, "Detector model file")->required();
    command
        ->add_option("input", args->input, "Frames: .csv (one column per input) or an audio file")
        ->required();
    command->add_option("--events", args->events,
                        "Write the detections here as CSV (default: stdout)");
    command->add_option("--probabilities", args->probabilities,
                        "Write every frame's class scores here as CSV");
    command
        ->add_option("--on", args->overrides.onLevel,
                     "Score at which a detection starts, 0-1 (all classes)")
        ->check(CLI::Range(0.0f, 1.0f));
    command
        ->add_option("--off", args->overrides.offLevel,
                     "Score below which it ends, 0-1, at most --on")
        ->check(CLI::Range(0.0f, 1.0f));
    command
        ->add_option("--min-duration-ms", args->overrides.minDurationMs,
                     "Time a score must hold before the onset is sent")
        ->check(CLI::Range(0.0, 3.6e6));
    command
        ->add_option("--refractory-ms", args->overrides.refractoryMs,
                     "Time after a detection ends before the class can fire again")
        ->check(CLI::Range(0.0, 3.6e6));
    command->add_option("--background", args->overrides.background,
                        "A class that is scored but never fires (overrides the model's)");
    command->callback([args, &exitCode] { exitCode = runDetect(*args); });
}

}  // namespace gs::cli
