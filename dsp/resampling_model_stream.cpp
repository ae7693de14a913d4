#include "resampling_model_stream.h"

#include "resampling_kernel.h"

#include <cmath>
#include <numeric>
#include <stdexcept>

namespace gs {
namespace {

// The filters' cutoff as a fraction of the lower of the two rates: content up to about
// 0.45 * min(rate) passes (19.8 kHz between 44.1 and 48 kHz); above it is removed before it
// can alias.
constexpr double cutoffFraction = 0.45;

std::int64_t wholeHz(double rate) {
    if (!(rate >= 1.0 && rate <= 768000.0))
        throw std::invalid_argument("sample rate outside 1 Hz .. 768 kHz");
    return std::llround(rate);
}

std::int64_t floorDiv(double numerator, std::int64_t denominator) {
    return static_cast<std::int64_t>(std::floor(numerator / static_cast<double>(denominator)));
}

std::int64_t ceilDiv(double numerator, std::int64_t denominator) {
    return static_cast<std::int64_t>(std::ceil(numerator / static_cast<double>(denominator)));
}

struct TickGrid {
    std::int64_t hostTicks, modelTicks, delayTicks;
    double unitsPerTick, halfWidthTicks;
};

TickGrid tickGrid(std::int64_t host, std::int64_t modelRate) {
    TickGrid grid{};
    const std::int64_t common = std::gcd(host, modelRate);
    grid.hostTicks = modelRate / common;
    grid.modelTicks = host / common;
    const double tickRate = static_cast<double>(host) * static_cast<double>(grid.hostTicks);
    const double cutoff = cutoffFraction * static_cast<double>(std::min(host, modelRate));
    grid.unitsPerTick = 2.0 * cutoff / tickRate;
    grid.halfWidthTicks = ResamplingKernel::zeroCrossings / grid.unitsPerTick;
    grid.delayTicks = grid.hostTicks * ceilDiv(grid.halfWidthTicks, grid.hostTicks);
    return grid;
}

}  // namespace

int ResamplingModelStream::latencyFor(double hostRate, double modelRate) {
    const std::int64_t host = wholeHz(hostRate), model = wholeHz(modelRate);
    if (host == model) return 0;
    const TickGrid grid = tickGrid(host, model);
    return static_cast<int>(2 * grid.delayTicks / grid.hostTicks);
}

ResamplingModelStream::ResamplingModelStream(std::shared_ptr<const RecurrentModel> model,
                                             double hostRate, int numChannels) {
    const std::int64_t modelRate = model ? wholeHz(model->info().sampleRate) : 0;
    stream_.prepare(std::move(model), numChannels);  // validates model and channels
    const std::int64_t host = wholeHz(hostRate);
    resampling_ = host != modelRate;
    if (!resampling_) return;

    const TickGrid grid = tickGrid(host, modelRate);
    hostTicks_ = grid.hostTicks;
    modelTicks_ = grid.modelTicks;
    unitsPerTick_ = grid.unitsPerTick;
    halfWidthTicks_ = grid.halfWidthTicks;
    delayTicks_ = grid.delayTicks;
    latency_ = static_cast<int>(2 * delayTicks_ / hostTicks_);
    kernel_ = &ResamplingKernel::instance();

    // Oldest sample either conversion reads: (D + W) ticks back, plus rounding.
    const auto hostSpan = static_cast<std::size_t>(
        ceilDiv(static_cast<double>(delayTicks_) + halfWidthTicks_, hostTicks_) + 2);
    const auto modelSpan = static_cast<std::size_t>(
        ceilDiv(static_cast<double>(delayTicks_) + halfWidthTicks_, modelTicks_) + 2);
    hostHistory_.assign(static_cast<std::size_t>(numChannels), SampleHistory(hostSpan));
    modelHistory_.assign(static_cast<std::size_t>(numChannels), SampleHistory(modelSpan));
    weights_.assign(std::max(hostSpan, modelSpan), 0.0f);
}

std::size_t ResamplingModelStream::bytesPerChannel() const noexcept {
    std::size_t bytes =
        static_cast<std::size_t>(model().stateSize() + model().scratchSize()) * sizeof(float);
    if (resampling_) bytes += hostHistory_[0].bytes() + modelHistory_[0].bytes();
    return bytes;
}

void ResamplingModelStream::process(const float* const* input, float* const* output,
                                    int numChannels, int numSamples) noexcept {
    if (!resampling_) {
        stream_.process(input, output, numChannels, numSamples);
        return;
    }
    for (int i = 0; i < numSamples; ++i) resampledSample(input, output, numChannels, i);
}

// Host sample n arrives; every model sample whose time has come is computed; then host
// output n is interpolated from the model's outputs.
void ResamplingModelStream::resampledSample(const float* const* input, float* const* output,
                                            int numChannels, int index) noexcept {
    for (int c = 0; c < numChannels; ++c)
        hostHistory_[static_cast<std::size_t>(c)].push(input[c][index]);
    produceModelSamples(numChannels);

    // Host output n stands for time n*Q - 2D; model sample j for j*P - D. Taps: the model
    // samples within W of n*Q - D (all already computed, since W <= D).
    const auto centre = static_cast<double>(hostIndex_ * hostTicks_ - delayTicks_);
    const Taps taps = computeTaps(centre, modelTicks_);
    const auto oldestAge = static_cast<std::size_t>(modelIndex_ - 1 - taps.first);
    for (int c = 0; c < numChannels; ++c)
        output[c][index] =
            filter(modelHistory_[static_cast<std::size_t>(c)].window(oldestAge), taps);
    ++hostIndex_;
}

// Model sample j stands for time j*P - D; it is due once host sample n with n*Q >= j*P has
// arrived, and reads the host samples within W of its time (all in the past, since W <= D).
void ResamplingModelStream::produceModelSamples(int numChannels) noexcept {
    while (modelIndex_ * modelTicks_ <= hostIndex_ * hostTicks_) {
        const auto centre = static_cast<double>(modelIndex_ * modelTicks_ - delayTicks_);
        const Taps taps = computeTaps(centre, hostTicks_);
        const auto oldestAge = static_cast<std::size_t>(hostIndex_ - taps.first);
        for (int c = 0; c < numChannels; ++c) {
            const float x =
                filter(hostHistory_[static_cast<std::size_t>(c)].window(oldestAge), taps);
            modelHistory_[static_cast<std::size_t>(c)].push(stream_.processSample(c, x));
        }
        ++modelIndex_;
    }
}

// The kernel's weights for the samples spaced `spacing` ticks apart that lie within W of
// centre, oldest first, into weights_; their sum normalises the gain at DC to exactly 1.
ResamplingModelStream::Taps ResamplingModelStream::computeTaps(double centre,
                                                               std::int64_t spacing) noexcept {
    Taps taps;
    taps.first = ceilDiv(centre - halfWidthTicks_, spacing);
    const std::int64_t last = floorDiv(centre + halfWidthTicks_, spacing);
    for (std::int64_t k = taps.first; k <= last; ++k) {
        const float w = kernel_->at((centre - static_cast<double>(k * spacing)) * unitsPerTick_);
        weights_[taps.count++] = w;
        taps.sum += w;
    }
    return taps;
}

float ResamplingModelStream::filter(const float* history, const Taps& taps) const noexcept {
    float acc = 0.0f;
    for (std::size_t t = 0; t < taps.count; ++t) acc += weights_[t] * history[t];
    return acc / taps.sum;
}

void ResamplingModelStream::resetChannel(int channel) noexcept {
    stream_.resetChannel(channel);
    if (resampling_) {
        hostHistory_[static_cast<std::size_t>(channel)].clear();
        modelHistory_[static_cast<std::size_t>(channel)].clear();
    }
}

}  // namespace gs
