#include "sensor_session.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace gs::sensor {
namespace {

constexpr std::size_t maxPendingReports = 4096;  // ~40 s at 100 Hz waiting for the UI
constexpr std::size_t maxPendingEvents = 4096;   // for a window that is not polling
constexpr std::size_t latencyWindow = 1000;
constexpr std::int64_t maxSenderBacklog = 1000;  // frames a fast replay may run ahead of the sender

double percentile(std::vector<double> values, double fraction) {
    if (values.empty()) return 0.0;
    const auto index =
        static_cast<std::size_t>(std::lround(fraction * static_cast<double>(values.size() - 1)));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index),
                     values.end());
    return values[index];
}

}  // namespace

SensorSession::SensorSession(std::shared_ptr<const RecurrentModel> model,
                             std::vector<ClassDetectionSettings> settings,
                             std::unique_ptr<FrameSource> source, EventSenderConfig output)
    : model_(std::move(model)), settings_(std::move(settings)), source_(std::move(source)),
      sender_(std::move(output), model_->info().outputNames, model_->info().sampleRate),
      inputs_(model_->inputSize()), classes_(model_->outputSize()),
      frames_(std::make_unique<SpscQueue<SensorFrame, 4096>>()),
      events_(std::make_unique<SpscQueue<TimedEvent, 1024>>()),
      reports_(std::make_unique<SpscQueue<FrameReport, 1024>>()),
      settingsChanges_(std::make_unique<SpscQueue<SettingsChange, 64>>()) {
    if (inputs_ > maxValues || classes_ > maxValues)
        throw std::invalid_argument("the sensor app takes models of up to " +
                                    std::to_string(maxValues) +
                                    " inputs and classes; this one has " + std::to_string(inputs_) +
                                    " and " + std::to_string(classes_));
    detector_.prepare(model_, settings_);
}

SensorSession::~SensorSession() { stop(); }

void SensorSession::start() {
    if (running_) return;
    stopDetection_ = stopSender_ = false;
    detectionThread_ = std::thread([this] { runDetection(); });
    senderThread_ = std::thread([this] { runSender(); });
    running_ = true;
    try {
        source_->start(*this);
    } catch (...) {
        stop();
        throw;
    }
}

void SensorSession::stop() noexcept {
    if (!running_) return;
    source_->stop();
    stopDetection_ = true;
    wake(detectionSignal_);
    detectionThread_.join();  // it drains the frame queue and sends final offsets first
    stopSender_ = true;
    wake(senderSignal_);
    senderThread_.join();
    sender_.allNotesOff();
    running_ = false;
    try {
        stopRecording();
    } catch (const std::exception& error) {
        recordError(error.what());
    }
}

void SensorSession::recordError(const std::string& message) {
    const std::lock_guard lock(shared_);
    if (error_.empty()) error_ = message;
}

void SensorSession::wake(std::atomic<std::uint32_t>& signal) noexcept {
    signal.fetch_add(1, std::memory_order_release);
    signal.notify_one();
}

// source thread
bool SensorSession::pushFrame(const float* values, std::int64_t arrivalNanos) noexcept {
    SensorFrame frame;
    frame.arrivalNanos = arrivalNanos;
    std::copy(values, values + inputs_, frame.values);
    if (!frames_->push(frame)) {
        queueFull_.fetch_add(1, std::memory_order_relaxed);
        framesDropped_.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    framesReceived_.fetch_add(1, std::memory_order_relaxed);
    wake(detectionSignal_);
    return true;
}

void SensorSession::countDropped(int frames) noexcept {
    framesDropped_.fetch_add(frames, std::memory_order_relaxed);
}

void SensorSession::sourceFinished() noexcept {
    sourceFinished_ = true;
    wake(detectionSignal_);
}

// A replay as fast as possible waits while the detector or the sender is behind, so nothing
// it sends is lost to a full queue.
bool SensorSession::hasRoom() const noexcept {
    const std::int64_t received = framesReceived_.load(std::memory_order_relaxed);
    return received - framesProcessed_.load(std::memory_order_relaxed) < 4000 &&
           received - reportsHandled_.load(std::memory_order_relaxed) < maxSenderBacklog;
}

bool SensorSession::setClassSettings(int classIndex, const ClassDetectionSettings& settings) {
    if (classIndex < 0 || classIndex >= classes_ || detectionSettingsProblem(settings)[0] != '\0')
        return false;
    if (!settingsChanges_->push({classIndex, settings})) return false;
    wake(detectionSignal_);
    return true;
}

// detection thread: no allocation, no lock, no I/O
void SensorSession::runDetection() {
    DetectionEvent events[maxValues];
    auto publish = [this, &events](int count, std::int64_t arrival) {
        for (int i = 0; i < count; ++i)
            if (!events_->push({events[i], arrival}))
                eventsDropped_.fetch_add(1, std::memory_order_relaxed);
    };
    auto applySettingsChanges = [this] {
        while (auto change = settingsChanges_->pop())
            detector_.postProcessor().setClassSettings(change->classIndex, change->settings);
    };
    while (true) {
        const std::uint32_t seen = detectionSignal_.load(std::memory_order_acquire);
        // Read before draining: every frame pushed before stop() set the flag is then seen.
        const bool stopping = stopDetection_.load();
        applySettingsChanges();
        bool worked = false;
        while (auto frame = frames_->pop()) {
            worked = true;
            applySettingsChanges();  // a slider moves even while frames keep coming
            const std::int64_t index = detector_.framesProcessed();
            publish(detector_.processFrame(frame->values, events), frame->arrivalNanos);
            FrameReport report;
            report.frame = index;
            report.arrivalNanos = frame->arrivalNanos;
            std::copy(frame->values, frame->values + inputs_, report.inputs);
            std::copy(detector_.scores(), detector_.scores() + classes_, report.scores);
            if (!reports_->push(report)) reportsDropped_.fetch_add(1, std::memory_order_relaxed);
            framesProcessed_.fetch_add(1, std::memory_order_relaxed);
            nonFiniteValues_.store(detector_.nonFiniteValues(), std::memory_order_relaxed);
            wake(senderSignal_);
        }
        if (stopping) break;
        if (!worked) detectionSignal_.wait(seen, std::memory_order_acquire);
    }
    publish(detector_.finish(events), 0);
    wake(senderSignal_);
}

void SensorSession::runSender() {
    try {
        senderLoop();
    } catch (const std::exception& error) {
        recordError(std::string("output stopped: ") + error.what());
    }
}

void SensorSession::senderLoop() {
    while (true) {
        const std::uint32_t seen = senderSignal_.load(std::memory_order_acquire);
        const bool stopping = stopSender_.load();
        bool worked = false;
        // Events first: they are what latency is measured on.
        while (auto event = events_->pop()) {
            worked = true;
            handleEvent(*event);
        }
        while (auto report = reports_->pop()) {
            worked = true;
            handleReport(*report);
            if (auto event = events_->pop()) handleEvent(*event);
        }
        if (stopping) break;
        if (!worked) senderSignal_.wait(seen, std::memory_order_acquire);
    }
}

void SensorSession::handleEvent(const TimedEvent& timed) {
    sender_.sendEvent(timed.event);
    eventsSent_.fetch_add(1, std::memory_order_relaxed);
    LoggedEvent logged{
        timed.event,
        timed.arrivalNanos > 0 ? static_cast<double>(nowNanos() - timed.arrivalNanos) * 1e-6 : 0.0};
    const std::lock_guard lock(shared_);
    if (timed.event.edge == DetectionEdge::Onset && timed.arrivalNanos > 0) {
        recentLatenciesMs_.push_back(logged.latencyMs);
        if (recentLatenciesMs_.size() > latencyWindow) recentLatenciesMs_.pop_front();
    }
    if (timed.event.edge == DetectionEdge::Offset && keepDetections_.load())
        detections_.push_back(detectionRecord(timed.event, model_->info().outputNames));
    pendingEvents_.push_back(logged);
    if (pendingEvents_.size() > maxPendingEvents) pendingEvents_.pop_front();
}

void SensorSession::handleReport(const FrameReport& report) {
    if (sender_.sendsProbabilities()) sender_.sendProbabilities(report.frame, report.scores);
    {
        const std::lock_guard lock(recorderMutex_);
        if (recorder_)
            recorder_->writeRow(static_cast<double>(report.frame) / model_->info().sampleRate,
                                report.inputs, static_cast<std::size_t>(inputs_));
    }
    {
        const std::lock_guard lock(shared_);
        pendingReports_.push_back(report);
        if (pendingReports_.size() > maxPendingReports) pendingReports_.pop_front();
    }
    reportsHandled_.fetch_add(1, std::memory_order_relaxed);
}

void SensorSession::startRecording(const std::filesystem::path& path) {
    const std::lock_guard lock(recorderMutex_);
    recorder_.reset();
    // may throw TextFileError
    recorder_ = std::make_unique<FrameCsvWriter>(path, model_->info().inputNames);
}

void SensorSession::stopRecording() {
    std::unique_ptr<FrameCsvWriter> finished;
    {
        const std::lock_guard lock(recorderMutex_);
        finished = std::move(recorder_);
    }
    if (finished) finished->commit();  // flush, close and rename without holding the lock
}

bool SensorSession::isRecording() const {
    const std::lock_guard lock(recorderMutex_);
    return recorder_ != nullptr;
}

SessionStats SensorSession::stats() const {
    SessionStats stats;
    stats.framesReceived = framesReceived_.load();
    stats.framesProcessed = framesProcessed_.load();
    stats.framesDropped = framesDropped_.load();
    stats.queueFull = queueFull_.load();
    stats.eventsSent = eventsSent_.load();
    stats.eventsDropped = eventsDropped_.load();
    stats.reportsDropped = reportsDropped_.load();
    stats.sendFailures = sender_.sendFailures();
    stats.nonFiniteValues = nonFiniteValues_.load();
    stats.sourceFinished = sourceFinished_.load();
    const std::lock_guard lock(shared_);
    const std::vector<double> latencies(recentLatenciesMs_.begin(), recentLatenciesMs_.end());
    stats.latencyMedianMs = percentile(latencies, 0.5);
    stats.latencyP99Ms = percentile(latencies, 0.99);
    stats.error = error_;
    return stats;
}

std::vector<FrameReport> SensorSession::takeReports() {
    const std::lock_guard lock(shared_);
    std::vector<FrameReport> reports(pendingReports_.begin(), pendingReports_.end());
    pendingReports_.clear();
    return reports;
}

std::vector<LoggedEvent> SensorSession::takeEvents() {
    const std::lock_guard lock(shared_);
    std::vector<LoggedEvent> events(pendingEvents_.begin(), pendingEvents_.end());
    pendingEvents_.clear();
    return events;
}

std::vector<DetectionRecord> SensorSession::detections() const {
    const std::lock_guard lock(shared_);
    return detections_;
}

}  // namespace gs::sensor
