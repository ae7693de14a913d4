#pragma once
// Runs one effect model (1 input, 1 output per time step) over a fixed number of audio
// channels, each with its own hidden state carried across process() calls, so the output
// never depends on how the host cuts the stream into blocks.
//
// Threads: prepare() on a non-audio thread (it allocates); process() and reset() on the
// audio thread, never concurrently with prepare().

#include "model/recurrent_model.h"

#include <cmath>
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

    // Idle skipping: once a channel's input has stayed within +-idleInputLevel and its hidden
    // state has stopped moving (no value changed by more than idleStateChange per sample for
    // idleSettleSamples samples; relative to the value where it exceeds 1: an LSTM's cell
    // state has no bound, and from 16 up (5.5 unscaled, as the kernel stores c) one bit of it
    // is worth more than 1e-6), the model's output is constant: the channel repeats it
    // without running the model until the input leaves the band. The output then differs
    // from running the model by at most idleInputLevel (the skip path's input) plus the
    // settled state's rounding dither (about 1e-7 on the default model): under 5e-6 in
    // tests/unit/model_stream_test.cpp. A model that never settles (one that oscillates on
    // its own) is never skipped.
    static constexpr float idleInputLevel = 1e-6f;   // -120 dBFS
    static constexpr float idleStateChange = 1e-6f;  // trained models settle into ~1e-7 dither
    static constexpr int idleSettleSamples = 64;

    // audio thread: one sample of one channel.
    float processSample(int channel, float input) noexcept {
        Channel& ch = channels_[static_cast<std::size_t>(channel)];
        if (!(std::abs(input) <= idleInputLevel)) {
            wake(ch);
        } else if (ch.idle) {
            return ch.idleOutput;
        }
        ModelState& state = states_[static_cast<std::size_t>(channel)];
        if (std::abs(input) <= idleInputLevel) return settlingSample(ch, state, input);
        float output;
        model_->processFrame(&input, &output, state);
        return output;
    }
    bool isIdle(int channel) const noexcept {
        return channels_[static_cast<std::size_t>(channel)].idle;
    }
    // Tests and benchmarks: run the model on every sample (default on).
    void setIdleSkipping(bool enabled) noexcept { idleSkipping_ = enabled; }

    // audio thread: clears every channel's hidden state.
    void reset() noexcept;
    // audio thread: clears one channel's hidden state.
    void resetChannel(int channel) noexcept;
    bool channelStateFinite(int channel) const noexcept;

    const std::shared_ptr<const RecurrentModel>& model() const noexcept { return model_; }
    int numChannels() const noexcept { return static_cast<int>(states_.size()); }

private:
    struct Channel {
        int quietSamples = 0;  // consecutive quiet samples with a settled state
        bool idle = false;
        float idleOutput = 0.0f;  // what the model gives, settled, on a quiet input
        std::vector<float> previousState;
    };
    static void wake(Channel& channel) noexcept {
        channel.quietSamples = 0;
        channel.idle = false;
    }
    // One channel over a block: runs of samples above the idle level go to the model in calls
    // of up to 64 frames (RecurrentModel::processFrames: one kernel call for the whole run
    // where the model has one, h kept in a register); any other sample goes through
    // processSample. The channel gets exactly the numbers processSample gives it.
    void processSingle(int channel, const float* input, float* output, int numSamples) noexcept;
    // Two channels over a block: runs of samples where both inputs are above the idle level
    // go to the model in calls of up to 64 frames (RecurrentModel::processFramesPair: the GRU
    // pair kernel where it pays, each weight loaded once, or the staggered pair kernel, one
    // channel half a step ahead; the set-up done once per call);
    // any other sample goes through processSample, channel by channel. Each channel gets
    // exactly the numbers processSample gives it.
    void processPair(int first, const float* input0, const float* input1, float* output0,
                     float* output1, int numSamples) noexcept;
    // A quiet input sample while not idle yet: run the model and watch the state settle.
    float settlingSample(Channel& channel, ModelState& state, float input) noexcept;

    std::shared_ptr<const RecurrentModel> model_;
    std::vector<ModelState> states_;
    std::vector<Channel> channels_;
    bool idleSkipping_ = true;
};

}  // namespace gs
