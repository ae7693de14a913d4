#include "render_file.h"

#include "audio_file.h"
#include "dsp/model_stream.h"

#include <chrono>
#include <cmath>
#include <vector>

namespace gs {
namespace {

bool samePath(const std::filesystem::path& a, const std::filesystem::path& b) {
    std::error_code error;
    if (std::filesystem::exists(b, error)) return std::filesystem::equivalent(a, b, error);
    return std::filesystem::weakly_canonical(a, error) == std::filesystem::weakly_canonical(b, error);
}

void checkModelRendersAudio(const RecurrentModel& model) {
    if (model.info().task != ModelTask::Effect || model.inputSize() != 1 || model.outputSize() != 1)
        throw ModelUnsuitableError(
            "render needs an effect model with 1 input and 1 output; this model is a " +
            std::string(modelTaskName(model.info().task)) + " with " +
            std::to_string(model.inputSize()) + " inputs and " +
            std::to_string(model.outputSize()) + " outputs");
}

} // namespace

RenderResult renderFile(std::shared_ptr<const RecurrentModel> model,
                        const std::filesystem::path& input, const std::filesystem::path& output,
                        const RenderOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    checkModelRendersAudio(*model);
    if (samePath(input, output))
        throw OutputPathError(output.string() + ": the output would overwrite the input");

    AudioFileReader reader(input);
    if (reader.frames() == 0) throw AudioFileError(input.string() + ": contains no audio frames");
    const double modelRate = model->info().sampleRate;
    if (reader.sampleRate() != modelRate)
        throw AudioFileError(input.string() + ": is at " + std::to_string(std::lround(reader.sampleRate())) +
                             " Hz but the model runs at " + std::to_string(std::lround(modelRate)) +
                             " Hz; resample the file to the model's rate first");

    const int channels = reader.channels();
    const auto block = static_cast<std::size_t>(options.blockSize);
    ModelStream stream;
    stream.prepare(model, channels);
    std::vector<float> interleaved(block * static_cast<std::size_t>(channels));
    std::vector<std::vector<float>> planar(static_cast<std::size_t>(channels), std::vector<float>(block));
    std::vector<float*> planarPointers;
    for (auto& channel : planar) planarPointers.push_back(channel.data());

    AudioFileWriter writer(output, channels, reader.sampleRate());
    RenderResult result;
    result.channels = channels;
    result.sampleRate = reader.sampleRate();
    while (const std::size_t frames = reader.readInterleaved(interleaved.data(), block)) {
        for (std::size_t i = 0; i < frames; ++i)
            for (int c = 0; c < channels; ++c) {
                const float sample = interleaved[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)];
                if (!std::isfinite(sample))
                    throw AudioFileError(input.string() + ": sample " +
                                         std::to_string(result.frames + static_cast<std::int64_t>(i)) +
                                         " of channel " + std::to_string(c + 1) + " is not a finite number");
                planar[static_cast<std::size_t>(c)][i] = sample;
            }
        stream.process(planarPointers.data(), planarPointers.data(), channels, static_cast<int>(frames));
        for (std::size_t i = 0; i < frames; ++i)
            for (int c = 0; c < channels; ++c)
                interleaved[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)] =
                    planar[static_cast<std::size_t>(c)][i];
        writer.writeInterleaved(interleaved.data(), frames);
        result.frames += static_cast<std::int64_t>(frames);
    }
    writer.commit();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace gs
