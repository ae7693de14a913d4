#pragma once
// Streaming audio file I/O through libsndfile (WAV, AIFF, FLAC, ...), a block at a time,
// so memory stays constant whatever the file's length. Not for the audio thread.

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

using SNDFILE = struct sf_private_tag;

namespace gs {

// The file cannot be read or written as audio; what() names the file and the reason.
class AudioFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Opens any file libsndfile reads; refuses, with the reason, files that claim no channels or
// no rate, more than maxChannels channels, or more audio than they hold (cut short).
class AudioFileReader {
public:
    static constexpr int maxChannels = 64;

    explicit AudioFileReader(const std::filesystem::path& path);
    ~AudioFileReader();
    AudioFileReader(const AudioFileReader&) = delete;
    AudioFileReader& operator=(const AudioFileReader&) = delete;

    int channels() const noexcept { return channels_; }
    double sampleRate() const noexcept { return sampleRate_; }
    std::int64_t frames() const noexcept { return frames_; }

    // Reads up to maxFrames interleaved frames (integer formats scaled to [-1, 1)).
    // Returns how many were read; 0 at the end. Throws AudioFileError on a read error.
    std::size_t readInterleaved(float* buffer, std::size_t maxFrames);

private:
    std::string name_;
    SNDFILE* file_ = nullptr;
    int channels_ = 0;
    double sampleRate_ = 0.0;
    std::int64_t frames_ = 0;
};

// What to write: container and sample format.
struct AudioOutputFormat {
    enum class Container { Wav, Flac, Aiff };
    enum class Sample { Pcm16, Pcm24, Float32 };
    Container container = Container::Wav;
    Sample sample = Sample::Float32;

    const char* extension() const noexcept;  // ".wav", ".flac", ".aiff"
    // Empty when valid, else why not (FLAC holds no floats).
    std::string problem() const;
};

// Writes audio (default 32-bit float WAV, RF64 past 4 GiB) into a temporary file beside the
// destination; commit() renames it into place. Destroyed without commit(), it deletes the
// temporary file, so an interrupted or failed write never leaves a partial output under the
// final name. Temporary names end in ".partial-PID".
class AudioFileWriter {
public:
    AudioFileWriter(const std::filesystem::path& path, int channels, double sampleRate,
                    AudioOutputFormat format = {});
    ~AudioFileWriter();
    AudioFileWriter(const AudioFileWriter&) = delete;
    AudioFileWriter& operator=(const AudioFileWriter&) = delete;

    void writeInterleaved(const float* buffer, std::size_t frames);
    void commit();

private:
    void closeFile() noexcept;

    std::filesystem::path path_;
    std::filesystem::path temporaryPath_;
    SNDFILE* file_ = nullptr;
    int channels_ = 0;
    bool committed_ = false;
};

}  // namespace gs
