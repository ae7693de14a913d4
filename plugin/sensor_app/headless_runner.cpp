#include "headless_runner.h"

#include "csv_replay_source.h"
#include "osc_frame_receiver.h"
#include "session_setup.h"

#include "model/model_error.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

namespace gs::sensor {
namespace {

std::atomic<bool> stopRequested{false};

extern "C" void requestStop(int) { stopRequested = true; }

std::string eventLine(const LoggedEvent& logged, const RecurrentModel& model) {
    const DetectionEvent& e = logged.event;
    const std::string& name = model.info().outputNames[static_cast<std::size_t>(e.classIndex)];
    char text[256];
    if (e.edge == DetectionEdge::Onset)
        std::snprintf(text, sizeof text,
                      "onset %s frame=%lld time=%.3f probability=%.4f latency_ms=%.3f",
                      name.c_str(), static_cast<long long>(e.onsetFrame),
                      static_cast<double>(e.onsetFrame) / model.info().sampleRate,
                      static_cast<double>(e.peakProbability), logged.latencyMs);
    else
        std::snprintf(text, sizeof text, "offset %s onset_frame=%lld offset_frame=%lld peak=%.4f",
                      name.c_str(), static_cast<long long>(e.onsetFrame),
                      static_cast<long long>(e.offsetFrame),
                      static_cast<double>(e.peakProbability));
    return text;
}

}  // namespace

int runHeadless(const SensorOptions& options) {
    std::shared_ptr<const RecurrentModel> model;
    try {
        model = loadDetectorModel(options.model);
    } catch (const std::exception& error) {
        std::cerr << "GruStreamSensor: " << error.what() << '\n';
        return 3;
    }
    std::unique_ptr<SensorSession> session;
    try {
        session = makeSession(options, model);
        session->keepDetections(!options.eventsFile.empty());
        std::signal(SIGINT, requestStop);
        std::signal(SIGTERM, requestStop);
        // from the first frame
        if (!options.recordFile.empty()) session->startRecording(options.recordFile);
        session->start();
    } catch (const std::invalid_argument& error) {
        std::cerr << "GruStreamSensor: " << error.what() << '\n';
        return 2;
    } catch (const std::exception& error) {
        std::cerr << "GruStreamSensor: " << error.what() << '\n';
        return 1;
    }
    std::cout << "ready source=\"" << session->source().description() << "\" output=\""
              << session->outputDescription() << "\"" << std::endl;

    // Events are printed here, not on the sender thread, so a slow stdout never delays OSC.
    auto printEvents = [&] {
        for (const LoggedEvent& logged : session->takeEvents())
            std::cout << eventLine(logged, *model) << '\n';
        std::cout.flush();
    };
    const auto start = std::chrono::steady_clock::now();
    while (!stopRequested) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        printEvents();
        const SessionStats stats = session->stats();
        if (stats.sourceFinished && stats.framesProcessed == stats.framesReceived) break;
        if (options.durationSeconds > 0.0 &&
            std::chrono::steady_clock::now() - start >=
                std::chrono::duration<double>(options.durationSeconds))
            break;
    }
    int code = 0;
    session->stop();
    printEvents();
    if (const std::string error = session->stats().error; !error.empty()) {
        std::cerr << "GruStreamSensor: " << error << '\n';
        code = 1;
    }
    try {
        if (!options.eventsFile.empty())
            writeDetectionCsv(options.eventsFile, session->detections(), model->info().sampleRate);
    } catch (const std::exception& error) {
        std::cerr << "GruStreamSensor: " << error.what() << '\n';
        code = 1;
    }
    if (auto* replay = dynamic_cast<CsvReplaySource*>(&session->source());
        replay && !replay->error().empty()) {
        std::cerr << "GruStreamSensor: " << replay->error() << '\n';
        code = 4;
    }
    const SessionStats stats = session->stats();
    std::int64_t otherAddress = 0;
    if (auto* osc = dynamic_cast<OscFrameReceiver*>(&session->source()))
        otherAddress = osc->otherAddressMessages();
    std::cout << "stats frames_received=" << stats.framesReceived
              << " frames_processed=" << stats.framesProcessed << " dropped=" << stats.framesDropped
              << " queue_full=" << stats.queueFull << " other_address=" << otherAddress
              << " events=" << stats.eventsSent << " events_dropped=" << stats.eventsDropped
              << " reports_dropped=" << stats.reportsDropped
              << " send_failures=" << stats.sendFailures << " non_finite=" << stats.nonFiniteValues
              << " latency_median_ms=" << stats.latencyMedianMs
              << " latency_p99_ms=" << stats.latencyP99Ms << std::endl;
    return code;
}

}  // namespace gs::sensor
