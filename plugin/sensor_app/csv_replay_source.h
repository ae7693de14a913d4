#pragma once
// Frames from a recorded CSV (tools/sensor_io/frame_csv.h), at the model's frame rate in
// real time, or as fast as the detector takes them (waiting for room, never dropping).

#include "frame_source.h"

#include <juce_core/juce_core.h>

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace gs::sensor {

class CsvReplaySource final : public FrameSource, private juce::Thread {
public:
    CsvReplaySource(std::filesystem::path file, std::vector<std::string> inputNames,
                    double frameRate, bool asFastAsPossible);
    ~CsvReplaySource() override;

    void start(FrameSink& sink) override;
    void stop() override;
    std::string description() const override;

    // Empty unless the file turned out to be unreadable part-way (then the replay stopped).
    std::string error() const;

private:
    void run() override;

    std::filesystem::path file_;
    std::vector<std::string> inputNames_;
    double frameRate_;
    bool fast_;
    FrameSink* sink_ = nullptr;
    mutable std::mutex errorMutex_;  // error_ is written once by the replay thread
    std::string error_;
};

}  // namespace gs::sensor
