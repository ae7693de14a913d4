#include "detection_log.h"

#include "atomic_text_file.h"
#include "frame_csv.h"

#include <charconv>

namespace gs {

DetectionRecord detectionRecord(const DetectionEvent& offset,
                                const std::vector<std::string>& classNames) {
    return {classNames.at(static_cast<std::size_t>(offset.classIndex)), offset.onsetFrame,
            offset.offsetFrame, offset.peakProbability};
}

std::string detectionCsvHeader() {
    return "class,onset_s,offset_s,peak_probability,onset_frame,offset_frame";
}

std::string detectionCsvLine(const DetectionRecord& record, double frameRate) {
    std::string line = record.className;
    for (const double seconds : {static_cast<double>(record.onsetFrame) / frameRate,
                                 static_cast<double>(record.offsetFrame) / frameRate}) {
        char text[32];  // double: frame times stay exact to the microsecond after days
        const auto end = std::to_chars(text, text + sizeof text, seconds);
        line += ',';
        line.append(text, end.ptr);
    }
    line += ',';
    line += floatText(record.peakProbability);
    line += ',' + std::to_string(record.onsetFrame) + ',' + std::to_string(record.offsetFrame);
    return line;
}

void writeDetectionCsv(const std::filesystem::path& path,
                       const std::vector<DetectionRecord>& records, double frameRate) {
    AtomicTextFile file(path);
    file.stream() << detectionCsvHeader() << '\n';
    for (const auto& record : records) file.stream() << detectionCsvLine(record, frameRate) << '\n';
    file.commit();
}

}  // namespace gs
