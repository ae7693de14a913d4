#pragma once
// The event list as CSV, written by `grustream detect --events` and the sensor app's "save
// log": one line per detection,
//   class,onset_s,offset_s,peak_probability,onset_frame,offset_frame
// with times in seconds from the first frame (frame / frame rate).

#include "dsp/detection_event.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gs {

struct DetectionRecord {
    std::string className;
    std::int64_t onsetFrame = 0;
    std::int64_t offsetFrame = 0;
    float peakProbability = 0.0f;
};

// A record from an Offset event.
DetectionRecord detectionRecord(const DetectionEvent& offset,
                                const std::vector<std::string>& classNames);

std::string detectionCsvHeader();
std::string detectionCsvLine(const DetectionRecord& record, double frameRate);

// Throws TextFileError; nothing appears under `path` unless every line was written.
void writeDetectionCsv(const std::filesystem::path& path,
                       const std::vector<DetectionRecord>& records, double frameRate);

}  // namespace gs
