#pragma once
// Brings sensor channels recorded at an audio rate (piezos, sensors on an audio interface,
// a WAV file) down to a detector's frame rate, with a low-pass filter against aliasing.
//
// Output frame k is centred on input sample n_k = round(k * inputRate / frameRate): a
// linear-phase Kaiser-windowed sinc (cutoff 0.4 x frame rate, 3 zero crossings per side,
// beta 5, unity gain at DC) evaluated only at those instants, so the cost is one dot product
// per output frame and channel. Rounding n_k to a whole input sample shifts a frame by at
// most half an input sample (11 us at 44.1 kHz), far below a sensor frame period. The
// filter is causal: frame k leaves latencyInputSamples() after n_k. Before the first sample
// the input is taken to have held the first sample's value (no start-up step).
//
// Threads: prepare() allocates; push() and reset() are for one thread (e.g. the audio
// callback) and never allocate.

#include <cstdint>
#include <vector>

namespace gs {

class SensorDownsampler {
public:
    static constexpr double cutoffPerFrameRate = 0.4;
    static constexpr int zeroCrossings = 3;
    static constexpr double kaiserBeta = 5.0;

    // Throws std::invalid_argument unless channels >= 1 and inputRate >= frameRate > 0.
    void prepare(int channels, double inputRate, double frameRate);

    // realtime: one input sample of every channel. Returns true when that completes an output
    // frame, written to `frame` (channels values).
    bool push(const float* sample, float* frame) noexcept;

    // realtime: clears the history; the next output is frame 0 again.
    void reset() noexcept;

    int channels() const noexcept { return channels_; }
    int taps() const noexcept { return static_cast<int>(kernel_.size()); }
    int latencyInputSamples() const noexcept { return (taps() - 1) / 2; }
    double latencySeconds() const noexcept { return latencyInputSamples() / inputRate_; }

private:
    std::int64_t centreOf(std::int64_t frame) const noexcept;

    int channels_ = 0;
    double inputRate_ = 0.0;
    double ratio_ = 1.0;  // input samples per output frame
    std::vector<float> kernel_;
    // Per channel, the last taps() samples stored twice, so the newest taps() samples are
    // always contiguous: history_[c * 2 * taps + position .. + taps).
    std::vector<float> history_;
    std::int64_t position_ = 0;  // ring write position, 0..taps-1
    std::int64_t samplesIn_ = 0;
    std::int64_t nextFrame_ = 0;
    std::int64_t nextEmitSample_ = 0;  // input index whose arrival completes nextFrame_
};

}  // namespace gs
