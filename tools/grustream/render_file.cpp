#include "render_file.h"

#include "audio_file.h"
#include "dsp/stream_engine.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

namespace gs {
namespace {

bool samePath(const std::filesystem::path& a, const std::filesystem::path& b) {
    std::error_code error;
    if (std::filesystem::exists(b, error)) return std::filesystem::equivalent(a, b, error);
    return std::filesystem::weakly_canonical(a, error) ==
           std::filesystem::weakly_canonical(b, error);
}

void checkModelRendersAudio(const RecurrentModel& model) {
    if (model.info().task != ModelTask::Effect || model.inputSize() != 1 || model.outputSize() != 1)
        throw ModelUnsuitableError(
            "render needs an effect model with 1 input and 1 output; this model is a " +
            std::string(modelTaskName(model.info().task)) + " with " +
            std::to_string(model.inputSize()) + " inputs and " +
            std::to_string(model.outputSize()) + " outputs");
}

// Planar block buffers and their interleaved twin, sized once.
class BlockBuffers {
public:
    BlockBuffers(int channels, std::size_t frames)
        : channels_(static_cast<std::size_t>(channels)), interleaved_(frames * channels_),
          planar_(channels_, std::vector<float>(frames)) {
        for (auto& channel : planar_) pointers_.push_back(channel.data());
    }

    float* interleaved() noexcept { return interleaved_.data(); }
    float* const* planar() noexcept { return pointers_.data(); }

    // Returns the first (frame, channel) holding a non-finite sample, or frames if none.
    std::size_t deinterleave(std::size_t frames, int& badChannel) noexcept {
        for (std::size_t i = 0; i < frames; ++i)
            for (std::size_t c = 0; c < channels_; ++c) {
                const float sample = interleaved_[i * channels_ + c];
                if (!std::isfinite(sample)) {
                    badChannel = static_cast<int>(c);
                    return i;
                }
                planar_[c][i] = sample;
            }
        return frames;
    }

    void silence(std::size_t frames) noexcept {
        for (auto& channel : planar_)
            std::fill(channel.begin(), channel.begin() + static_cast<long>(frames), 0.0f);
    }

    // Interleaves planar frames [from, to) into the start of the interleaved buffer.
    void interleave(std::size_t from, std::size_t to) noexcept {
        for (std::size_t i = from; i < to; ++i)
            for (std::size_t c = 0; c < channels_; ++c)
                interleaved_[(i - from) * channels_ + c] = planar_[c][i];
    }

private:
    std::size_t channels_;
    std::vector<float> interleaved_;
    std::vector<std::vector<float>> planar_;
    std::vector<float*> pointers_;
};

}  // namespace

RenderResult renderFile(const std::shared_ptr<const RecurrentModel>& model,
                        const std::filesystem::path& input, const std::filesystem::path& output,
                        const RenderOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    checkModelRendersAudio(*model);
    if (samePath(input, output))
        throw OutputPathError(output.string() + ": the output would overwrite the input");

    AudioFileReader reader(input);
    if (reader.frames() == 0) throw AudioFileError(input.string() + ": contains no audio frames");
    const double modelRate = model->info().sampleRate;
    if (reader.sampleRate() != modelRate && !options.allowResampling)
        throw AudioFileError(input.string() + ": is at " +
                             std::to_string(std::lround(reader.sampleRate())) +
                             " Hz but the model runs at " + std::to_string(std::lround(modelRate)) +
                             " Hz, and resampling is off");

    const int channels = reader.channels();
    const auto block = static_cast<std::size_t>(options.blockSize);
    StreamEngine engine;
    engine.parameters().setInputGainDb(options.inputGainDb);
    engine.parameters().setOutputGainDb(options.outputGainDb);
    engine.parameters().setMix(options.mix);
    engine.setModel(model);
    engine.prepare(reader.sampleRate(), options.blockSize, channels);

    RenderResult result;
    result.channels = channels;
    result.sampleRate = reader.sampleRate();
    result.resampled = engine.isResampling();
    result.latencySamples = engine.latencySamples();

    BlockBuffers buffers(channels, block);
    AudioFileWriter writer(output, channels, reader.sampleRate(), options.outputFormat);
    auto toSkip = static_cast<std::size_t>(engine.latencySamples());  // the engine's delay
    auto toFlush = toSkip;
    auto emit = [&](std::size_t frames) {
        if (options.stopRequested && options.stopRequested->load(std::memory_order_relaxed))
            throw RenderInterrupted(output.string() + ": interrupted");
        engine.process(buffers.planar(), channels, static_cast<int>(frames));
        const std::size_t skipped = std::min(toSkip, frames);
        toSkip -= skipped;
        buffers.interleave(skipped, frames);
        writer.writeInterleaved(buffers.interleaved(), frames - skipped);
        result.frames += static_cast<std::int64_t>(frames - skipped);
    };
    std::int64_t framesRead = 0;
    while (const std::size_t frames = reader.readInterleaved(buffers.interleaved(), block)) {
        int badChannel = 0;
        const std::size_t firstBad = buffers.deinterleave(frames, badChannel);
        if (firstBad < frames)
            throw AudioFileError(input.string() + ": sample " +
                                 std::to_string(framesRead + static_cast<std::int64_t>(firstBad)) +
                                 " of channel " + std::to_string(badChannel + 1) +
                                 " is not a finite number");
        framesRead += static_cast<std::int64_t>(frames);
        emit(frames);
    }
    while (toFlush > 0) {  // push silence through to get the delayed tail out
        const std::size_t frames = std::min(toFlush, block);
        buffers.silence(frames);
        emit(frames);
        toFlush -= frames;
    }
    writer.commit();
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

}  // namespace gs
