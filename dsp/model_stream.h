#pragma once
// Runs one effect model (1 input, 1 output per time step) over a fixed number of audio
// channels, each with its own hidden state carried across process() calls, so the output
// never depends on how the host cuts the stream into blocks.
//
// Threads: prepare() on a non-audio thread (it allocates); process() and reset() on the
// audio thread, never concurrently with prepare().

#include "model/recurrent_model.h"

#include <memory>
#include <vector>

namespace gs {

class ModelStream {
public:
    // Allocates one state per channel. Throws std::invalid_argument when the model is not a
    // 1-in, 1-out model or numChannels < 1.
    void prepare(std::shared_ptr<const RecurrentModel> model, int numChannels);

    // audio thread: processes numSamples >= 0 samples of each of numChannels <= prepared
    // channels. input[c] may equal output[c] (in place). Never allocates.
    void process(const float* const* input, float* const* output, int numChannels,
                 int numSamples) noexcept;

    // audio thread: one sample of one channel.
    float processSample(int channel, float input) noexcept {
        float output;
        model_->processFrame(&input, &output, states_[static_cast<std::size_t>(channel)]);
        return output;
    }

    // audio thread: clears every channel's hidden state.
    void reset() noexcept;
    // audio thread: clears one channel's hidden state.
    void resetChannel(int channel) noexcept;
    bool channelStateFinite(int channel) const noexcept;

    const std::shared_ptr<const RecurrentModel>& model() const noexcept { return model_; }
    int numChannels() const noexcept { return static_cast<int>(states_.size()); }

private:
    std::shared_ptr<const RecurrentModel> model_;
    std::vector<ModelState> states_;
};

} // namespace gs
