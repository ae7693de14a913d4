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
    // Channels in pairs: where the GRU pair kernel is chosen (AVX-512, and AVX2 at H8) a pair
    // shares each weight load and the two recurrences overlap in the CPU; elsewhere a pair is
    // two single steps (docs/benchmarks.md). Each sample is read before it is written: in
    // place is fine.
    int c = 0;
    for (; c + 1 < channels; c += 2)
        processPair(c, input[c], input[c + 1], output[c], output[c + 1], numSamples);
    if (c < channels) processSingle(c, input[c], output[c], numSamples);
}

void ModelStream::processSingle(int channel, const float* input, float* output,
                                int numSamples) noexcept {
    auto loud = [](float x) { return std::abs(x) > idleInputLevel; };
    int i = 0;
    while (i < numSamples) {
        int end = i;
        while (end < numSamples && loud(input[end])) ++end;
        if (end > i) {
            wake(channels_[static_cast<std::size_t>(channel)]);
            // a copy of the input, as processPair's
            constexpr int chunk = 64;
            float copy[chunk];
            for (int start = i; start < end; start += chunk) {
                const int frames = std::min(chunk, end - start);
                std::copy(input + start, input + start + frames, copy);
                model_->processFrames(copy, output + start, frames,
                                      states_[static_cast<std::size_t>(channel)]);
            }
            i = end;
        } else {
            output[i] = processSample(channel, input[i]);
            ++i;
        }
    }
}

void ModelStream::processPair(int first, const float* input0, const float* input1, float* output0,
                              float* output1, int numSamples) noexcept {
    // Above the level (NaN is not: processSample handles it, as it handles quiet samples).
    auto loud = [](float x) { return std::abs(x) > idleInputLevel; };
    int i = 0;
    while (i < numSamples) {
        int end = i;
        while (end < numSamples && loud(input0[end]) && loud(input1[end])) ++end;
        if (end > i) {
            wake(channels_[static_cast<std::size_t>(first)]);
            wake(channels_[static_cast<std::size_t>(first + 1)]);
            // The model's inputs are copies: its skip adds each frame's input after the head
            // has written that frame's output, which in place would be the same float.
            constexpr int chunk = 64;
            float chunk0[chunk], chunk1[chunk];
            for (int start = i; start < end; start += chunk) {
                const int frames = std::min(chunk, end - start);
                std::copy(input0 + start, input0 + start + frames, chunk0);
                std::copy(input1 + start, input1 + start + frames, chunk1);
                model_->processFramesPair(chunk0, chunk1, output0 + start, output1 + start, frames,
                                          states_[static_cast<std::size_t>(first)],
                                          states_[static_cast<std::size_t>(first + 1)]);
            }
            i = end;
        } else {
            const float in0 = input0[i], in1 = input1[i];  // both read before either is written
            output0[i] = processSample(first, in0);
            output1[i] = processSample(first + 1, in1);
            ++i;
        }
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
