#include "frame_csv.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace gs {
namespace {

bool isNumber(const std::string& text, float* value = nullptr) {
    float parsed = 0.0f;
    const char* end = text.data() + text.size();
    const char* begin = text.data() + (!text.empty() && text[0] == '+' ? 1 : 0);
    const auto result = std::from_chars(begin, end, parsed);
    if (result.ec != std::errc() || result.ptr != end || text.empty()) return false;
    if (value) *value = parsed;
    return true;
}

bool isTimeColumn(std::string name) {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name == "time" || name == "t" || name == "timestamp" || name == "seconds";
}

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) {
        if (!text.empty()) text += ", ";
        text += name;
    }
    return text;
}

}  // namespace

std::vector<std::string> splitCsvLine(const std::string& line) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = line.find(',', start);
        std::string field =
            line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const auto first = field.find_first_not_of(" \t\r");
        const auto last = field.find_last_not_of(" \t\r");
        fields.push_back(first == std::string::npos ? std::string()
                                                    : field.substr(first, last - first + 1));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return fields;
}

FrameCsvReader::FrameCsvReader(const std::filesystem::path& path,
                               const std::vector<std::string>& inputNames)
    : name_(path.string()), stream_(path) {
    if (!stream_) throw FrameCsvError(name_ + ": cannot open the file for reading");
    std::vector<std::string> first;
    if (!readDataLine(first)) throw FrameCsvError(name_ + ": the file holds no frames");
    const bool header =
        std::any_of(first.begin(), first.end(), [](const std::string& f) { return !isNumber(f); });
    const auto inputs = static_cast<int>(inputNames.size());
    if (header) {
        hasHeader_ = true;
        width_ = first.size();
        // By name, when every input is named.
        for (const auto& input : inputNames) {
            const auto found = std::find(first.begin(), first.end(), input);
            if (found == first.end()) break;
            columnOfInput_.push_back(static_cast<int>(found - first.begin()));
        }
        if (static_cast<int>(columnOfInput_.size()) != inputs) {
            columnOfInput_.clear();
            const int skip = !first.empty() && isTimeColumn(first[0]) ? 1 : 0;
            if (static_cast<int>(first.size()) - skip != inputs)
                fail("the header names " + joined(first) + "; the model needs " +
                     std::to_string(inputs) + " inputs (" + joined(inputNames) +
                     "), by name or in order after an optional time column");
            for (int i = 0; i < inputs; ++i) columnOfInput_.push_back(i + skip);
        }
    } else {
        width_ = first.size();
        if (static_cast<int>(width_) != inputs)
            fail("found " + std::to_string(width_) + " values per line; the model needs " +
                 std::to_string(inputs) + " (" + joined(inputNames) + ")");
        for (int i = 0; i < inputs; ++i) columnOfInput_.push_back(i);
        firstFields_ = std::move(first);
        pendingFirst_ = true;
    }
}

bool FrameCsvReader::readDataLine(std::vector<std::string>& fields) {
    std::string text;
    while (std::getline(stream_, text)) {
        ++line_;
        const auto start = text.find_first_not_of(" \t\r");
        if (start == std::string::npos || text[start] == '#') continue;
        fields = splitCsvLine(text);
        return true;
    }
    if (stream_.bad()) fail("read error");
    return false;
}

bool FrameCsvReader::next(float* frame) {
    if (pendingFirst_) {
        pendingFirst_ = false;
        fields_ = std::move(firstFields_);
    } else if (!readDataLine(fields_)) {
        return false;
    }
    if (fields_.size() != width_)
        fail("found " + std::to_string(fields_.size()) + " values, expected " +
             std::to_string(width_));
    for (std::size_t i = 0; i < columnOfInput_.size(); ++i) {
        const std::string& field = fields_[static_cast<std::size_t>(columnOfInput_[i])];
        if (!isNumber(field, &frame[i]))
            fail("column " + std::to_string(columnOfInput_[i] + 1) +
                 " should be a number, found \"" + field + "\"");
        if (!std::isfinite(frame[i]))
            fail("column " + std::to_string(columnOfInput_[i] + 1) + " is not finite (" + field +
                 ")");
    }
    return true;
}

void FrameCsvReader::fail(const std::string& what) const {
    throw FrameCsvError(name_ + ", line " + std::to_string(line_) + ": " + what);
}

std::string floatText(float value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return {buffer, result.ptr};
}

FrameCsvWriter::FrameCsvWriter(const std::filesystem::path& path,
                               const std::vector<std::string>& columnNames)
    : file_(path) {
    file_.stream() << "time";
    for (const auto& name : columnNames) file_.stream() << ',' << name;
    file_.stream() << '\n';
}

void FrameCsvWriter::writeRow(double timeSeconds, const float* values, std::size_t count) {
    char time[32];
    const auto end = std::to_chars(time, time + sizeof time, timeSeconds);
    file_.stream().write(time, end.ptr - time);
    for (std::size_t i = 0; i < count; ++i) file_.stream() << ',' << floatText(values[i]);
    file_.stream() << '\n';
}

}  // namespace gs
