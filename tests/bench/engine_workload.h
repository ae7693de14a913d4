#pragma once
// The workload both benchmarks measure: mono 48 kHz, blocks of 64, a GRU(1->H) + Dense model.
// "bare" runs the model alone (ModelStream); "engine" runs it inside StreamEngine with the
// input gain smoother, output gain, mix and guards all active. The input gain stays at 0 dB
// so both feed the model the same numbers (libm's exp/tanh cost depends on the value), and
// every block starts from the same input (copied into a work buffer) in both.

#include "dsp/model_stream.h"
#include "dsp/stream_engine.h"
#include "test_models.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace gs::bench {

constexpr double sampleRate = 48000.0;
constexpr int blockSize = 64;

inline std::vector<float> benchSignal(std::size_t frames) {
    std::vector<float> s(frames);
    for (std::size_t i = 0; i < frames; ++i) s[i] = 0.5f * std::sin(0.01f * static_cast<float>(i));
    return s;
}

class BareWorkload {
public:
    explicit BareWorkload(int hidden) {
        stream_.prepare(test::randomModel(1, 1, hidden, 1, 1, 1), 1);
    }
    void processBlock(const float* input, float* work) noexcept {
        std::copy(input, input + blockSize, work);
        stream_.process(&work, &work, 1, blockSize);
    }

private:
    ModelStream stream_;
};

class EngineWorkload {
public:
    explicit EngineWorkload(int hidden, double hostRate = sampleRate) {
        engine_.setModel(test::randomModel(1, 1, hidden, 1, 1, 1));
        engine_.parameters().setOutputGainDb(2.0f);
        engine_.parameters().setMix(0.8f);
        engine_.prepare(hostRate, blockSize, 1);
    }
    void processBlock(const float* input, float* work) noexcept {
        std::copy(input, input + blockSize, work);
        engine_.process(&work, 1, blockSize);
    }
    std::size_t bytesPerChannel() const noexcept { return engine_.bytesPerChannel(); }

private:
    StreamEngine engine_;
};

}  // namespace gs::bench
