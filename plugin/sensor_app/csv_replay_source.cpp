#include "csv_replay_source.h"

#include "sensor_frames.h"
#include "tools/sensor_io/frame_csv.h"

#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

namespace gs::sensor {

CsvReplaySource::CsvReplaySource(std::filesystem::path file, std::vector<std::string> inputNames,
                                 double frameRate, bool asFastAsPossible)
    : juce::Thread("GruStream replay"), file_(std::move(file)), inputNames_(std::move(inputNames)),
      frameRate_(frameRate), fast_(asFastAsPossible) {}

CsvReplaySource::~CsvReplaySource() { stop(); }

void CsvReplaySource::start(FrameSink& sink) {
    // Open once here so a missing or mismatched file is reported before anything runs.
    try {
        FrameCsvReader probe(file_, inputNames_);
    } catch (const FrameCsvError& error) {
        throw std::runtime_error(error.what());
    }
    sink_ = &sink;
    startThread();
}

void CsvReplaySource::stop() { stopThread(5000); }

std::string CsvReplaySource::description() const {
    return "replay of " + file_.filename().string() +
           (fast_ ? " (as fast as possible)" : " (real time)");
}

std::string CsvReplaySource::error() const {
    const std::lock_guard lock(errorMutex_);
    return error_;
}

void CsvReplaySource::run() {
    using clock = std::chrono::steady_clock;
    try {
        FrameCsvReader reader(file_, inputNames_);
        std::vector<float> frame(inputNames_.size());
        const auto start = clock::now();
        for (std::int64_t index = 0; !threadShouldExit() && reader.next(frame.data()); ++index) {
            if (fast_) {
                while (!sink_->hasRoom() && !threadShouldExit())
                    std::this_thread::sleep_for(std::chrono::microseconds(200));
            } else {
                const auto due =
                    start +
                    std::chrono::duration_cast<clock::duration>(
                        std::chrono::duration<double>(static_cast<double>(index) / frameRate_));
                while (clock::now() < due && !threadShouldExit())
                    std::this_thread::sleep_until(
                        std::min(due, clock::now() + std::chrono::milliseconds(50)));
            }
            if (!threadShouldExit()) sink_->pushFrame(frame.data(), nowNanos());
        }
    } catch (const std::exception& error) {
        const std::lock_guard lock(errorMutex_);
        error_ = error.what();
    }
    sink_->sourceFinished();
}

}  // namespace gs::sensor
