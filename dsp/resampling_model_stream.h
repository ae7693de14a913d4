#pragma once
// Runs an effect model at its own sample rate inside a stream at the host's rate:
// host -> band-limited down/up-conversion -> model -> conversion back -> host, per channel.
// When the rates match it is a plain ModelStream with no resampler and zero latency.
//
// Both conversions are causal polyphase FIRs on an exact integer time grid (one tick is
// 1 / lcm-rate), evaluated sample by sample, so:
//   - exactly one output per input sample, whatever the block size;
//   - the latency is a whole number of host samples, 2 * ceil(W / hostTicks), where W is the
//     filter's half-width: the output is the input delayed by exactly latencySamples();
//   - the output is bit-identical for every block partition.
//
// Threads: constructor on a non-audio thread (it allocates); everything else on the audio thread.

#include "model_stream.h"
#include "sample_history.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace gs {

class ResamplingKernel;

class ResamplingModelStream {
public:
    // Rates are rounded to whole Hz. Throws std::invalid_argument for a model that is not
    // 1-in/1-out, fewer than one channel, or a rate outside 1 Hz .. 768 kHz.
    ResamplingModelStream(std::shared_ptr<const RecurrentModel> model, double hostRate,
                          int numChannels);

    int latencySamples() const noexcept { return latency_; }
    // The latency a model at modelRate would have in a host stream at hostRate, without
    // building anything (so a front end can tell its host before the swap happens).
    static int latencyFor(double hostRate, double modelRate);
    bool isResampling() const noexcept { return resampling_; }
    std::size_t bytesPerChannel() const noexcept;

    // audio thread: numSamples host-rate samples per channel; input may alias output.
    void process(const float* const* input, float* const* output, int numChannels,
                 int numSamples) noexcept;
    // audio thread
    void resetChannel(int channel) noexcept;
    bool channelStateFinite(int channel) const noexcept {
        return stream_.channelStateFinite(channel);
    }

    const RecurrentModel& model() const noexcept { return *stream_.model(); }

private:
    struct Taps {
        std::int64_t first = 0;  // index of the oldest sample read
        std::size_t count = 0;
        float sum = 0.0f;
    };
    Taps computeTaps(double centre, std::int64_t spacing) noexcept;
    float filter(const float* history, const Taps& taps) const noexcept;
    void produceModelSamples(int numChannels) noexcept;
    void resampledSample(const float* const* input, float* const* output, int numChannels,
                         int index) noexcept;

    ModelStream stream_;
    bool resampling_ = false;
    int latency_ = 0;

    // The tick grid: a host sample lasts hostTicks_, a model sample modelTicks_.
    std::int64_t hostTicks_ = 1;
    std::int64_t modelTicks_ = 1;
    std::int64_t delayTicks_ = 0;  // D: each conversion delays by D ticks, so latency = 2D
    double halfWidthTicks_ = 0.0;  // W <= D: the filter's support is [-W, W]
    double unitsPerTick_ = 0.0;    // kernel argument per tick (2 * cutoff / tick rate)
    std::int64_t hostIndex_ = 0;   // the host sample being processed
    std::int64_t modelIndex_ = 0;  // the next model sample to compute

    const ResamplingKernel* kernel_ = nullptr;
    std::vector<SampleHistory> hostHistory_;   // per channel: recent host-rate input
    std::vector<SampleHistory> modelHistory_;  // per channel: recent model outputs
    std::vector<float> weights_;               // one conversion's taps, shared by all channels
};

}  // namespace gs
