#pragma once
// One run of the sensor app: a source, the detector on its own thread, and a sender thread.
//
//   source thread(s) --frames_--> detection thread --events_, reports_--> sender thread
//
// The detection thread runs dsp/FrameDetector: it never blocks, allocates or does I/O; it
// sleeps on an atomic when there is nothing to do. Sources never block either: a full
// queue drops the frame and counts it. The sender does the slow things: OSC, MIDI,
// recording, the UI's event log and plots, latency statistics.
//
// Threads: construct, start(), stop() and the const queries on the UI/main thread;
// setClassSettings() on one thread (the UI).

#include "event_sender.h"
#include "frame_source.h"
#include "sensor_frames.h"

#include "dsp/frame_detector.h"
#include "dsp/spsc_queue.h"
#include "tools/sensor_io/detection_log.h"
#include "tools/sensor_io/frame_csv.h"

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace gs::sensor {

struct SessionStats {
    std::int64_t framesReceived = 0;  // accepted into the queue
    std::int64_t framesProcessed = 0;
    std::int64_t framesDropped = 0;  // malformed, wrong count, or the queue was full
    std::int64_t queueFull = 0;      // of those, dropped for lack of room
    std::int64_t eventsSent = 0;     // onsets and offsets
    std::int64_t eventsDropped = 0;  // the event queue was full (never seen in tests)
    // frame reports (plots, probabilities, recording) lost to a slow sender
    std::int64_t reportsDropped = 0;
    std::int64_t sendFailures = 0;     // OSC packets the network refused
    std::int64_t nonFiniteValues = 0;  // read as 0
    double latencyMedianMs = 0.0;      // frame arrival -> event sent, recent events
    double latencyP99Ms = 0.0;
    bool sourceFinished = false;
    std::string error;  // the first failure of the sender or the recorder, for the user
};

struct LoggedEvent {
    DetectionEvent event;
    double latencyMs = 0.0;
};

class SensorSession final : private FrameSink {
public:
    // Throws std::invalid_argument when the model does not fit the app (too many inputs or
    // classes) or a setting is unusable; EventSender's errors for the outputs.
    SensorSession(std::shared_ptr<const RecurrentModel> model,
                  std::vector<ClassDetectionSettings> settings, std::unique_ptr<FrameSource> source,
                  EventSenderConfig output);
    ~SensorSession() override;

    // Starts the threads, then the source. Throws std::runtime_error from the source.
    void start();
    // Stops the source, lets the detector finish what is queued, closes running detections
    // (their offsets are sent), stops the threads, commits a recording. Idempotent; never
    // throws (a failed recording shows in stats().error).
    void stop() noexcept;

    // UI thread: new levels for one class, applied by the detection thread before its next
    // frame. False when the change queue is full or the settings are unusable.
    bool setClassSettings(int classIndex, const ClassDetectionSettings& settings);
    const std::vector<ClassDetectionSettings>& initialSettings() const noexcept {
        return settings_;
    }

    // Starts / stops recording incoming frames to CSV (may be called before start(), so the
    // first frame is in it). startRecording throws TextFileError when the file cannot be
    // created; stopRecording commits and throws TextFileError when that fails (disk full).
    void startRecording(const std::filesystem::path& path);
    void stopRecording();
    bool isRecording() const;

    // Completed detections are kept for detections() unless told not to (a headless run
    // without --events would otherwise grow for as long as it runs).
    void keepDetections(bool keep) noexcept { keepDetections_ = keep; }

    SessionStats stats() const;
    // Frame reports and events since the last call (for the UI's plots and log).
    std::vector<FrameReport> takeReports();
    std::vector<LoggedEvent> takeEvents();
    // Every completed detection so far, for "save log".
    std::vector<DetectionRecord> detections() const;

    const RecurrentModel& model() const noexcept { return *model_; }
    FrameSource& source() noexcept { return *source_; }
    std::string outputDescription() const { return sender_.description(); }

private:
    // FrameSink, for the source thread
    bool pushFrame(const float* values, std::int64_t arrivalNanos) noexcept override;
    void countDropped(int frames) noexcept override;
    void sourceFinished() noexcept override;
    bool hasRoom() const noexcept override;

    void runDetection();
    void runSender();
    void senderLoop();
    void handleReport(const FrameReport& report);
    void handleEvent(const TimedEvent& event);
    static void wake(std::atomic<std::uint32_t>& signal) noexcept;
    void recordError(const std::string& message);

    struct SettingsChange {
        int classIndex;
        ClassDetectionSettings settings;
    };

    std::shared_ptr<const RecurrentModel> model_;
    std::vector<ClassDetectionSettings> settings_;
    std::unique_ptr<FrameSource> source_;
    FrameDetector detector_;
    EventSender sender_;
    int inputs_ = 0;
    int classes_ = 0;

    // Queues, each with one producer and one consumer; heap-held because they are large.
    std::unique_ptr<SpscQueue<SensorFrame, 4096>> frames_;
    std::unique_ptr<SpscQueue<TimedEvent, 1024>> events_;
    std::unique_ptr<SpscQueue<FrameReport, 1024>> reports_;
    std::unique_ptr<SpscQueue<SettingsChange, 64>> settingsChanges_;
    std::atomic<std::uint32_t> detectionSignal_{0};
    std::atomic<std::uint32_t> senderSignal_{0};
    std::atomic<bool> stopDetection_{false};
    std::atomic<bool> stopSender_{false};
    std::thread detectionThread_;
    std::thread senderThread_;
    bool running_ = false;

    std::atomic<std::int64_t> framesReceived_{0}, framesProcessed_{0}, framesDropped_{0},
        queueFull_{0}, eventsSent_{0}, eventsDropped_{0}, reportsDropped_{0}, reportsHandled_{0},
        nonFiniteValues_{0};
    std::atomic<bool> sourceFinished_{false};

    // Sender thread <-> UI thread (neither real-time).
    mutable std::mutex shared_;
    std::deque<FrameReport> pendingReports_;
    std::deque<LoggedEvent> pendingEvents_;
    std::vector<DetectionRecord> detections_;
    std::deque<double> recentLatenciesMs_;
    std::string error_;
    std::atomic<bool> keepDetections_{true};
    // The recorder has its own lock, so disk writes never stall the UI's polling.
    mutable std::mutex recorderMutex_;
    std::unique_ptr<FrameCsvWriter> recorder_;
};

}  // namespace gs::sensor
