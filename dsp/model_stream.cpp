#include "model_stream.h"

#include "denormal_guard.h"

#include <stdexcept>

namespace gs {

void ModelStream::prepare(std::shared_ptr<const RecurrentModel> model, int numChannels) {
    if (!model) throw std::invalid_argument("ModelStream: no model");
    if (model->inputSize() != 1 || model->outputSize() != 1)
        throw std::invalid_argument("ModelStream: an audio stream needs a model with one input "
                                    "and one output");
    if (numChannels < 1) throw std::invalid_argument("ModelStream: needs at least one channel");
    std::vector<ModelState> states;
    states.reserve(static_cast<std::size_t>(numChannels));
    for (int c = 0; c < numChannels; ++c) states.emplace_back(*model);
    model_ = std::move(model);
    states_ = std::move(states);
}

void ModelStream::process(const float* const* input, float* const* output, int numChannels,
                          int numSamples) noexcept {
    const DenormalGuard denormalGuard;
    const int channels = numChannels < this->numChannels() ? numChannels : this->numChannels();
    for (int c = 0; c < channels; ++c)
        for (int i = 0; i < numSamples; ++i)
            output[c][i] = processSample(c, input[c][i]);  // reads before it writes: in place is fine
}

void ModelStream::reset() noexcept {
    for (auto& state : states_) state.reset();
}

void ModelStream::resetChannel(int channel) noexcept {
    states_[static_cast<std::size_t>(channel)].reset();
}

bool ModelStream::channelStateFinite(int channel) const noexcept {
    return states_[static_cast<std::size_t>(channel)].isFinite();
}

} // namespace gs
