#pragma once
// The one error type for a model file that cannot be used. It carries where the fault is
// (file and JSON path), what was expected and what was found, so a user can fix the file.
// Thrown only while loading, never on the audio thread.

#include <stdexcept>
#include <string>

namespace gs {

class ModelError : public std::runtime_error {
public:
    ModelError(std::string file, std::string jsonPath, std::string expected, std::string found);

    const std::string& file() const noexcept { return file_; }
    // Empty when the fault is in the file as a whole (missing, too large, not JSON).
    const std::string& jsonPath() const noexcept { return jsonPath_; }
    const std::string& expected() const noexcept { return expected_; }
    const std::string& found() const noexcept { return found_; }

private:
    std::string file_;
    std::string jsonPath_;
    std::string expected_;
    std::string found_;
};

}  // namespace gs
