#include "sensor_downsampler.h"

#include "windowed_sinc.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gs {

void SensorDownsampler::prepare(int channels, double inputRate, double frameRate) {
    if (channels < 1) throw std::invalid_argument("a sensor stream needs at least one channel");
    if (!(frameRate > 0.0) || !(inputRate >= frameRate) || !std::isfinite(inputRate))
        throw std::invalid_argument("the input rate (" + std::to_string(inputRate) +
                                    " Hz) must be at least the model's frame rate (" +
                                    std::to_string(frameRate) + " Hz)");
    channels_ = channels;
    inputRate_ = inputRate;
    ratio_ = inputRate / frameRate;
    if (ratio_ == 1.0) {
        kernel_.assign(1, 1.0f);
    } else {
        // h[j] = sinc(2 fc (j - half)) * kaiser(j), fc in cycles per input sample.
        const double cutoff = cutoffPerFrameRate / ratio_;
        const int half = static_cast<int>(std::ceil(zeroCrossings / (2.0 * cutoff)));
        std::vector<double> taps(static_cast<std::size_t>(2 * half + 1));
        double sum = 0.0;
        for (int j = -half; j <= half; ++j) {
            const double tap = kaiserWindowedSinc(2.0 * cutoff * j, zeroCrossings, kaiserBeta);
            taps[static_cast<std::size_t>(j + half)] = tap;
            sum += tap;
        }
        kernel_.resize(taps.size());  // symmetric: no need to reverse for the dot product
        for (std::size_t j = 0; j < taps.size(); ++j)
            kernel_[j] = static_cast<float>(taps[j] / sum);
    }
    history_.assign(static_cast<std::size_t>(channels_) * 2 * kernel_.size(), 0.0f);
    reset();
}

std::int64_t SensorDownsampler::centreOf(std::int64_t frame) const noexcept {
    return std::llround(static_cast<double>(frame) * ratio_);
}

void SensorDownsampler::reset() noexcept {
    std::fill(history_.begin(), history_.end(), 0.0f);
    position_ = 0;
    samplesIn_ = 0;
    nextFrame_ = 0;
    nextEmitSample_ = centreOf(0) + latencyInputSamples();
}

bool SensorDownsampler::push(const float* sample, float* frame) noexcept {
    const auto length = static_cast<std::int64_t>(kernel_.size());
    // Before the first sample the signal is taken to have held that value, so a stream that
    // starts at a sensor's resting level (gravity on an accelerometer) does not start with a
    // step, which a detector would see as a gesture.
    if (samplesIn_ == 0)
        for (int c = 0; c < channels_; ++c) {
            float* ring = history_.data() + static_cast<std::size_t>(c) * 2 * kernel_.size();
            std::fill(ring, ring + 2 * length, std::isfinite(sample[c]) ? sample[c] : 0.0f);
        }
    for (int c = 0; c < channels_; ++c) {
        float* ring = history_.data() + static_cast<std::size_t>(c) * 2 * kernel_.size();
        const float value = std::isfinite(sample[c]) ? sample[c] : 0.0f;
        ring[position_] = value;
        ring[position_ + length] = value;
    }
    position_ = (position_ + 1) % length;
    const std::int64_t index = samplesIn_++;
    if (index != nextEmitSample_) return false;
    // The newest `length` samples start at position_ (the oldest) in the doubled ring.
    for (int c = 0; c < channels_; ++c) {
        const float* window =
            history_.data() + static_cast<std::size_t>(c) * 2 * kernel_.size() + position_;
        float sum = 0.0f;
        for (std::int64_t j = 0; j < length; ++j)
            sum += kernel_[static_cast<std::size_t>(j)] * window[j];
        frame[c] = sum;
    }
    ++nextFrame_;
    nextEmitSample_ = centreOf(nextFrame_) + latencyInputSamples();
    return true;
}

}  // namespace gs
