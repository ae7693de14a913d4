#include "model_stream.h"

#include "denormal_guard.h"

#include <algorithm>
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
    std::vector<Channel> channels(static_cast<std::size_t>(numChannels));
    for (auto& channel : channels)
        channel.previousState.assign(static_cast<std::size_t>(model->stateSize()), 0.0f);
    model_ = std::move(model);
    states_ = std::move(states);
    channels_ = std::move(channels);
}

float ModelStream::settlingSample(Channel& channel, ModelState& state, float input) noexcept {
    const std::size_t size = channel.previousState.size();
    std::copy(state.data(), state.data() + size, channel.previousState.begin());
    float output;
    model_->processFrame(&input, &output, state);
    bool still = true;
    for (std::size_t i = 0; i < size; ++i) {
        const float before = channel.previousState[i];
        still &= std::abs(state.data()[i] - before) <=
                 idleStateChange * std::max(1.0f, std::abs(before));
    }
    channel.quietSamples = still ? channel.quietSamples + 1 : 0;
    if (idleSkipping_ && channel.quietSamples >= idleSettleSamples && std::isfinite(output)) {
        channel.idle = true;
        channel.idleOutput = output;
    }
    return output;
}

void ModelStream::process(const float* const* input, float* const* output, int numChannels,
                          int numSamples) noexcept {
    const DenormalGuard denormalGuard;
    const int channels = numChannels < this->numChannels() ? numChannels : this->numChannels();
    // Sample-major, channels in pairs: where the GRU pair kernel is chosen (AVX-512, and AVX2
    // at H8) a pair shares each weight load and the two recurrences overlap in the CPU;
    // elsewhere a pair is two single steps (docs/benchmarks.md). Each sample is read before it
    // is written: in place is fine.
    for (int i = 0; i < numSamples; ++i) {
        int c = 0;
        for (; c + 1 < channels; c += 2) {
            const float in0 = input[c][i], in1 = input[c + 1][i];
            processSamplePair(c, in0, in1, output[c][i], output[c + 1][i]);
        }
        if (c < channels) output[c][i] = processSample(c, input[c][i]);
    }
}

void ModelStream::reset() noexcept {
    for (int c = 0; c < numChannels(); ++c) resetChannel(c);
}

void ModelStream::resetChannel(int channel) noexcept {
    states_[static_cast<std::size_t>(channel)].reset();
    wake(channels_[static_cast<std::size_t>(channel)]);
}

bool ModelStream::channelStateFinite(int channel) const noexcept {
    return states_[static_cast<std::size_t>(channel)].isFinite();
}

}  // namespace gs
