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

namespace {

// Above the idle level (NaN is not: processSample handles it, as it handles quiet samples).
bool loud(float x) noexcept { return std::abs(x) > ModelStream::idleInputLevel; }

// The longest call to the model: its inputs are copied into arrays of this size.
constexpr int maxRunFrames = 64;

// Over a block of numSamples: run(start, frames) for each stretch of samples where loudAt(i)
// holds, in pieces of at most maxRunFrames, and quiet(i) for every other sample, in order.
template <typename LoudAt, typename Run, typename Quiet>
void forEachRun(int numSamples, LoudAt loudAt, Run run, Quiet quiet) noexcept {
    int i = 0;
    while (i < numSamples) {
        int end = i;
        while (end < numSamples && loudAt(end)) ++end;
        if (end == i) {
            quiet(i++);
            continue;
        }
        for (int start = i; start < end; start += maxRunFrames)
            run(start, std::min(maxRunFrames, end - start));
        i = end;
    }
}

}  // namespace

// The model's inputs are copies: its skip adds each frame's input after the head has written
// that frame's output, which in place would be the same float.
void ModelStream::processSingle(int channel, const float* input, float* output,
                                int numSamples) noexcept {
    Channel& ch = channels_[static_cast<std::size_t>(channel)];
    ModelState& state = states_[static_cast<std::size_t>(channel)];
    forEachRun(
        numSamples, [&](int i) { return loud(input[i]); },
        [&](int start, int frames) {
            wake(ch);
            float copy[maxRunFrames];
            std::copy(input + start, input + start + frames, copy);
            model_->processFrames(copy, output + start, frames, state);
        },
        [&](int i) { output[i] = processSample(channel, input[i]); });
}

void ModelStream::processPair(int first, const float* input0, const float* input1, float* output0,
                              float* output1, int numSamples) noexcept {
    Channel& ch0 = channels_[static_cast<std::size_t>(first)];
    Channel& ch1 = channels_[static_cast<std::size_t>(first + 1)];
    ModelState& state0 = states_[static_cast<std::size_t>(first)];
    ModelState& state1 = states_[static_cast<std::size_t>(first + 1)];
    forEachRun(
        numSamples, [&](int i) { return loud(input0[i]) && loud(input1[i]); },
        [&](int start, int frames) {
            wake(ch0);
            wake(ch1);
            float copy0[maxRunFrames], copy1[maxRunFrames];
            std::copy(input0 + start, input0 + start + frames, copy0);
            std::copy(input1 + start, input1 + start + frames, copy1);
            model_->processFramesPair(copy0, copy1, output0 + start, output1 + start, frames,
                                      state0, state1);
        },
        [&](int i) {
            const float in0 = input0[i], in1 = input1[i];  // both read before either is written
            output0[i] = processSample(first, in0);
            output1[i] = processSample(first + 1, in1);
        });
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
