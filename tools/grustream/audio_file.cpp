#include "audio_file.h"

#include <sndfile.h>

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace gs {
namespace {

// libsndfile clamps a WAV/AIFF data chunk that claims more bytes than the file holds and says
// so only in its log ("data : CLAIMED (should be ACTUAL)"): a file cut short would otherwise
// render silently shorter. A claim of 0 or 0xFFFFFFFF is the streaming writers' "length
// unknown" (ffmpeg to a pipe), which is fine. Returns the claimed size when cut short, else 0.
unsigned long long claimedBytesOfACutShortFile(SNDFILE* file) {
    char log[8192] = {};
    sf_command(file, SFC_GET_LOG_INFO, log, sizeof(log));
    for (const char* at = std::strstr(log, "(should be "); at != nullptr;
         at = std::strstr(at + 1, "(should be ")) {
        const char* line = at;
        while (line > log && line[-1] != '\n') --line;
        if (std::strncmp(line, "data", 4) != 0 && std::strncmp(line, "SSND", 4) != 0) continue;
        const char* colon = std::strchr(line, ':');
        if (colon == nullptr || colon > at) continue;
        const unsigned long long claimed = std::strtoull(colon + 1, nullptr, 10);
        if (claimed != 0 && claimed != 0xFFFFFFFFull) return claimed;
    }
    return 0;
}

}  // namespace

AudioFileReader::AudioFileReader(const std::filesystem::path& path) : name_(path.string()) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        throw AudioFileError(
            name_ + ": cannot read audio: " +
            (std::filesystem::exists(path, error) ? "not a regular file" : "no such file"));
    SF_INFO info{};
    file_ = sf_open(path.c_str(), SFM_READ, &info);
    if (!file_) throw AudioFileError(name_ + ": cannot read audio: " + sf_strerror(nullptr));
    channels_ = info.channels;
    sampleRate_ = info.samplerate;
    frames_ = info.frames;
    std::string problem;
    if (channels_ < 1 || sampleRate_ <= 0.0)
        problem = "the header claims " + std::to_string(info.channels) + " channels at " +
                  std::to_string(info.samplerate) + " Hz";
    else if (channels_ > maxChannels)
        problem = "it has " + std::to_string(channels_) + " channels; at most " +
                  std::to_string(maxChannels) + " are rendered (split the file)";
    else if (const auto claimed = claimedBytesOfACutShortFile(file_))
        problem = "the file is cut short: its header claims " + std::to_string(claimed) +
                  " bytes of audio, more than the file holds (an interrupted copy or recording?)";
    if (!problem.empty()) {
        sf_close(file_);
        file_ = nullptr;
        throw AudioFileError(name_ + ": cannot read audio: " + problem);
    }
}

AudioFileReader::~AudioFileReader() {
    if (file_) sf_close(file_);
}

std::size_t AudioFileReader::readInterleaved(float* buffer, std::size_t maxFrames) {
    const sf_count_t got = sf_readf_float(file_, buffer, static_cast<sf_count_t>(maxFrames));
    if (got < 0 || (got == 0 && sf_error(file_) != SF_ERR_NO_ERROR))
        throw AudioFileError(name_ + ": read error: " + sf_strerror(file_));
    return static_cast<std::size_t>(got);
}

const char* AudioOutputFormat::extension() const noexcept {
    switch (container) {
    case Container::Flac: return ".flac";
    case Container::Aiff: return ".aiff";
    case Container::Wav: break;
    }
    return ".wav";
}

std::string AudioOutputFormat::problem() const {
    if (container == Container::Flac && sample == Sample::Float32)
        return "FLAC cannot hold 32-bit float samples; use --bit-depth 16 or 24";
    return {};
}

AudioFileWriter::AudioFileWriter(const std::filesystem::path& path, int channels, double sampleRate,
                                 AudioOutputFormat format)
    : path_(path), channels_(channels) {
    if (const std::string problem = format.problem(); !problem.empty())
        throw AudioFileError(path.string() + ": " + problem);
    temporaryPath_ = path;
    // pid + a process-wide counter: parallel writers never share a temporary file.
    static std::atomic<unsigned> writerCount{0};
    temporaryPath_ +=
        ".partial-" + std::to_string(::getpid()) + "-" + std::to_string(writerCount++);
    SF_INFO info{};
    info.channels = channels;
    info.samplerate = static_cast<int>(sampleRate);
    const int container = format.container == AudioOutputFormat::Container::Flac   ? SF_FORMAT_FLAC
                          : format.container == AudioOutputFormat::Container::Aiff ? SF_FORMAT_AIFF
                                                                                   : SF_FORMAT_RF64;
    const int sample = format.sample == AudioOutputFormat::Sample::Pcm16   ? SF_FORMAT_PCM_16
                       : format.sample == AudioOutputFormat::Sample::Pcm24 ? SF_FORMAT_PCM_24
                                                                           : SF_FORMAT_FLOAT;
    info.format = container | sample;
    file_ = sf_open(temporaryPath_.c_str(), SFM_WRITE, &info);
    if (!file_)
        throw AudioFileError(path.string() + ": cannot write audio: " + sf_strerror(nullptr));
    // Plain WAV unless the file outgrows 4 GiB, so every reader opens ordinary outputs.
    if (container == SF_FORMAT_RF64) sf_command(file_, SFC_RF64_AUTO_DOWNGRADE, nullptr, SF_TRUE);
    // Integer outputs clip instead of wrapping around when the model overshoots full scale.
    sf_command(file_, SFC_SET_CLIPPING, nullptr, SF_TRUE);
}

AudioFileWriter::~AudioFileWriter() {
    closeFile();
    if (!committed_) {
        std::error_code ignored;
        std::filesystem::remove(temporaryPath_, ignored);
    }
}

void AudioFileWriter::writeInterleaved(const float* buffer, std::size_t frames) {
    const sf_count_t written = sf_writef_float(file_, buffer, static_cast<sf_count_t>(frames));
    if (written != static_cast<sf_count_t>(frames))
        throw AudioFileError(path_.string() + ": write error: " + sf_strerror(file_));
}

void AudioFileWriter::commit() {
    sf_write_sync(file_);
    int error = sf_error(file_);
    const int closeError = sf_close(file_);  // flushes the header; can fail on a full disk
    file_ = nullptr;
    if (error == SF_ERR_NO_ERROR) error = closeError;
    if (error != SF_ERR_NO_ERROR)
        throw AudioFileError(path_.string() + ": write error: " + sf_error_number(error));
    std::error_code renameError;
    std::filesystem::rename(temporaryPath_, path_, renameError);
    if (renameError)
        throw AudioFileError(path_.string() + ": cannot move the finished file into place: " +
                             renameError.message());
    committed_ = true;
}

void AudioFileWriter::closeFile() noexcept {
    if (file_) sf_close(file_);
    file_ = nullptr;
}

}  // namespace gs
