#include "atomic_text_file.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

namespace gs {

AtomicTextFile::AtomicTextFile(const std::filesystem::path& path) : path_(path) {
    static std::atomic<int> counter{0};
    temporaryPath_ = path;
    temporaryPath_ += ".partial-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    stream_.open(temporaryPath_, std::ios::trunc);
    if (!stream_)
        throw TextFileError(path.string() + ": cannot create the file: " + std::strerror(errno));
}

AtomicTextFile::~AtomicTextFile() {
    if (committed_) return;
    stream_.close();
    std::error_code ignored;
    std::filesystem::remove(temporaryPath_, ignored);
}

void AtomicTextFile::commit() {
    stream_.flush();
    if (!stream_) throw TextFileError(path_.string() + ": write failed (disk full?)");
    stream_.close();
    if (!stream_) throw TextFileError(path_.string() + ": write failed (disk full?)");
    std::error_code error;
    std::filesystem::rename(temporaryPath_, path_, error);
    if (error)
        throw TextFileError(path_.string() +
                            ": cannot move the finished file into place: " + error.message());
    committed_ = true;
}

}  // namespace gs
