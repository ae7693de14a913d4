#pragma once
// Sensor frames as CSV: one frame per line, one column per sensor value. Read by
// `grustream detect` and the sensor app's replay; written by the app's recorder.
//
// Reading: an optional header line names the columns. When it names every model input, the
// inputs are taken by name in any order and other columns (a time stamp) are ignored;
// otherwise the columns must be the inputs in order, optionally after a first column called
// time, t, timestamp or seconds. Blank lines and lines starting with '#' are skipped. Every
// fault is a FrameCsvError naming the file, the line and what was wrong.

#include "atomic_text_file.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace gs {

class FrameCsvError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class FrameCsvReader {
public:
    // Opens the file and maps its columns onto the model's inputs.
    FrameCsvReader(const std::filesystem::path& path, const std::vector<std::string>& inputNames);

    // The next frame's inputNames.size() values; false at the end of the file.
    bool next(float* frame);

    std::int64_t lineNumber() const noexcept { return line_; }
    bool hasHeader() const noexcept { return hasHeader_; }

private:
    bool readDataLine(std::vector<std::string>& fields);
    [[noreturn]] void fail(const std::string& what) const;

    std::string name_;
    std::ifstream stream_;
    std::vector<std::string> firstFields_;  // a data line read while looking for a header
    bool pendingFirst_ = false;
    bool hasHeader_ = false;
    std::vector<int> columnOfInput_;
    std::size_t width_ = 0;  // fields per line
    std::int64_t line_ = 0;
    std::vector<std::string> fields_;
};

// Splits one CSV line on commas, trimming spaces and a trailing carriage return.
std::vector<std::string> splitCsvLine(const std::string& line);

// Writes frames as CSV with a header "time,<names...>"; times in seconds. Nothing appears
// under the final name until commit() (AtomicTextFile); errors are TextFileError.
class FrameCsvWriter {
public:
    FrameCsvWriter(const std::filesystem::path& path, const std::vector<std::string>& columnNames);

    void writeRow(double timeSeconds, const float* values, std::size_t count);
    void commit() { file_.commit(); }

private:
    AtomicTextFile file_;
};

// Shortest text that reads back as the same float.
std::string floatText(float value);

}  // namespace gs
