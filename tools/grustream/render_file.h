#pragma once
// Renders one audio file through an effect model, streaming block by block with the hidden
// state carried across blocks. Shared by `render` (and later `batch`).

#include "audio_file.h"
#include "model/recurrent_model.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace gs {

// The model cannot be used for this job (a detector given to render, say).
class ModelUnsuitableError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The output would overwrite the input.
class OutputPathError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The render was stopped through RenderOptions::stopRequested (Ctrl-C in batch).
class RenderInterrupted : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct RenderOptions {
    int blockSize = 4096;  // frames read, processed and written at a time
    float inputGainDb = 0.0f;
    float outputGainDb = 0.0f;
    float mix = 1.0f;             // 0 dry .. 1 wet
    bool allowResampling = true;  // false: a file at another rate than the model's is an error
    AudioOutputFormat outputFormat;
    // Checked between blocks; when it turns true the render stops and leaves no output.
    const std::atomic<bool>* stopRequested = nullptr;
};

struct RenderResult {
    std::int64_t frames = 0;
    int channels = 0;
    double sampleRate = 0.0;
    double seconds = 0.0;  // wall time spent
    bool resampled = false;
    int latencySamples = 0;  // compensated: the output is aligned with the input
};

// Runs the same StreamEngine as the plugin. When the file's rate differs from the model's,
// the engine resamples and the renderer compensates its latency, so the output lines up with
// the input sample for sample and has the same length.
// Throws RenderInterrupted, ModelUnsuitableError, OutputPathError, AudioFileError (input
// unreadable, empty, non-finite, wrong rate with resampling off; output unwritable). On any throw,
// no output file is left behind.
RenderResult renderFile(const std::shared_ptr<const RecurrentModel>& model,
                        const std::filesystem::path& input, const std::filesystem::path& output,
                        const RenderOptions& options);

}  // namespace gs
