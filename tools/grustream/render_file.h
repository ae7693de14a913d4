#pragma once
// Renders one audio file through an effect model, streaming block by block with the hidden
// state carried across blocks. Shared by `render` (and later `batch`).

#include "model/recurrent_model.h"

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

struct RenderOptions {
    int blockSize = 4096;  // frames read, processed and written at a time
};

struct RenderResult {
    std::int64_t frames = 0;
    int channels = 0;
    double sampleRate = 0.0;
    double seconds = 0.0;  // wall time spent
};

// Throws ModelUnsuitableError, OutputPathError, AudioFileError (input unreadable, empty,
// non-finite, wrong rate; output unwritable). On any throw, no output file is left behind.
RenderResult renderFile(std::shared_ptr<const RecurrentModel> model,
                        const std::filesystem::path& input, const std::filesystem::path& output,
                        const RenderOptions& options);

} // namespace gs
