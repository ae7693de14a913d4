#pragma once
// A text file written beside its destination under a temporary name and renamed into place
// by commit(); destroyed without commit() it deletes the temporary file. A crash or an error
// never leaves half a file under the final name.

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace gs {

class TextFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class AtomicTextFile {
public:
    // Throws TextFileError when the temporary file cannot be created.
    explicit AtomicTextFile(const std::filesystem::path& path);
    ~AtomicTextFile();
    AtomicTextFile(const AtomicTextFile&) = delete;
    AtomicTextFile& operator=(const AtomicTextFile&) = delete;

    std::ofstream& stream() noexcept { return stream_; }
    // Throws TextFileError when a write failed (disk full) or the rename fails.
    void commit();

private:
    std::filesystem::path path_;
    std::filesystem::path temporaryPath_;
    std::ofstream stream_;
    bool committed_ = false;
};

}  // namespace gs
