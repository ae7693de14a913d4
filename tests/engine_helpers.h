#pragma once
// Helpers for driving a StreamEngine over whole signals in tests.

#include "dsp/stream_engine.h"

#include <cmath>
#include <cstring>
#include <functional>
#include <numbers>
#include <vector>

namespace gs::test {

using Signal = std::vector<float>;

// Processes a mono signal in place, cutting it into blocks of the given sizes (cycled).
// beforeBlock(engine, position) runs before each block.
inline Signal runEngine(StreamEngine& engine, Signal signal, const std::vector<int>& blockSizes,
                        const std::function<void(StreamEngine&, std::size_t)>& beforeBlock = {}) {
    std::size_t position = 0, which = 0;
    while (position < signal.size()) {
        if (beforeBlock) beforeBlock(engine, position);
        const auto block =
            std::min<std::size_t>(static_cast<std::size_t>(blockSizes[which++ % blockSizes.size()]),
                                  signal.size() - position);
        float* channel = signal.data() + position;
        engine.process(&channel, 1, static_cast<int>(block));
        position += block;
    }
    return signal;
}

inline Signal sine(std::size_t frames, double frequency, double rate, float amplitude = 0.5f) {
    Signal s(frames);
    for (std::size_t i = 0; i < frames; ++i)
        s[i] = amplitude * static_cast<float>(std::sin(2.0 * std::numbers::pi * frequency *
                                                       static_cast<double>(i) / rate));
    return s;
}

// Sum of a few sines, all below the given fraction of the lower rate's Nyquist limit.
inline Signal bandLimited(std::size_t frames, double rate, double maxFrequency) {
    Signal s(frames, 0.0f);
    const double frequencies[] = {0.03, 0.11, 0.27, 0.5, 0.83, 1.0};
    for (std::size_t k = 0; k < 6; ++k)
        for (std::size_t i = 0; i < frames; ++i)
            s[i] += 0.12f *
                    static_cast<float>(std::sin(2.0 * std::numbers::pi * frequencies[k] *
                                                    maxFrequency * static_cast<double>(i) / rate +
                                                static_cast<double>(k)));
    return s;
}

inline bool bitIdentical(const Signal& a, const Signal& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

inline float maxStep(const Signal& s, std::size_t from, std::size_t to) {
    float step = 0.0f;
    for (std::size_t i = std::max<std::size_t>(from, 1); i < to && i < s.size(); ++i)
        step = std::max(step, std::fabs(s[i] - s[i - 1]));
    return step;
}

inline bool allFinite(const Signal& s) {
    for (float v : s)
        if (!std::isfinite(v)) return false;
    return true;
}

}  // namespace gs::test
