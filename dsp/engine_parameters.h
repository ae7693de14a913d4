#pragma once
// The engine's user parameters, settable from any thread (UI, automation, OSC) through
// atomics. Out-of-range values are clamped; NaN is ignored, so no caller can put a
// non-finite value on the audio path.

#include <algorithm>
#include <atomic>
#include <cmath>

namespace gs {

class EngineParameters {
public:
    static constexpr float minGainDb = -60.0f;
    static constexpr float maxGainDb = 24.0f;

    void setInputGainDb(float db) noexcept { storeClamped(inputGainDb_, db, minGainDb, maxGainDb); }
    void setOutputGainDb(float db) noexcept {
        storeClamped(outputGainDb_, db, minGainDb, maxGainDb);
    }
    // 0 = all dry, 1 = all wet.
    void setMix(float mix) noexcept { storeClamped(mix_, mix, 0.0f, 1.0f); }
    void setBypassed(bool bypassed) noexcept {
        bypassed_.store(bypassed, std::memory_order_relaxed);
    }

    float inputGainDb() const noexcept { return inputGainDb_.load(std::memory_order_relaxed); }
    float outputGainDb() const noexcept { return outputGainDb_.load(std::memory_order_relaxed); }
    float mix() const noexcept { return mix_.load(std::memory_order_relaxed); }
    bool bypassed() const noexcept { return bypassed_.load(std::memory_order_relaxed); }

    static float gainFromDb(float db) noexcept { return std::pow(10.0f, db / 20.0f); }

private:
    static void storeClamped(std::atomic<float>& target, float value, float low,
                             float high) noexcept {
        if (std::isnan(value)) return;
        target.store(std::clamp(value, low, high), std::memory_order_relaxed);
    }

    std::atomic<float> inputGainDb_{0.0f};
    std::atomic<float> outputGainDb_{0.0f};
    std::atomic<float> mix_{1.0f};
    std::atomic<bool> bypassed_{false};
};

}  // namespace gs
