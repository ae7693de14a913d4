#pragma once
// What a model is for and where it came from: everything in a model file besides weights.

#include <string>
#include <utility>
#include <vector>

namespace gs {

enum class ModelTask {
    Effect,    // audio in, audio out, one state per audio channel
    Detector,  // sensor frames in, class scores out
};

const char* modelTaskName(ModelTask task) noexcept;

struct ModelInfo {
    ModelTask task = ModelTask::Effect;
    double sampleRate = 48000.0;  // Hz: the audio rate of an effect, the frame rate of a detector
    // One per model input / output (a detector's class names); RecurrentModel fills in
    // defaults when left empty.
    std::vector<std::string> inputNames;
    std::vector<std::string> outputNames;
    // Free text, in file order: name, author, description and anything else the author adds.
    std::vector<std::pair<std::string, std::string>> metadata;

    std::string sourceFormat = "grustream";  // the format the model was read from
    bool sampleRateAssumed = false;  // the file did not say; sampleRate is its format's custom

    // Optional reference I/O from the file, frame-major, computed from a zero state:
    // `grustream verify` replays it. Sizes are multiples of the input / output counts.
    std::vector<float> referenceInput;
    std::vector<float> referenceOutput;

    // The value of a metadata key, or fallback when absent.
    std::string metadataValue(const std::string& key, const std::string& fallback = {}) const;
};

}  // namespace gs
