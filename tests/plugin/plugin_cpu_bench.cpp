// The plugin's CPU cost: seconds of processing per second of stereo 48 kHz audio at block 64,
// with the default model, through the real processor (parameters, engine, copies).
//   build/tests/plugin/plugin_cpu_bench        (median of 7 runs of 10 s of audio)

#include "plugin_processor.h"
#include "plugin_test_support.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

int main() {
    const juce::ScopedJuceInitialiser_GUI juce;
    constexpr double rate = 48000.0;
    constexpr int block = 64, seconds = 10;
    gs::plugin::GruStreamProcessor processor;
    processor.setPlayConfigDetails(2, 2, rate, block);
    processor.prepareToPlay(rate, block);
    const auto left = gs::test::testTone(block, 1), right = gs::test::testTone(block, 2);
    juce::AudioBuffer<float> buffer(2, block);
    juce::MidiBuffer midi;
    std::vector<double> costs;
    for (int run = 0; run < 7; ++run) {
        const auto start = std::chrono::steady_clock::now();
        for (int b = 0; b < seconds * static_cast<int>(rate) / block; ++b) {
            buffer.copyFrom(0, 0, left.data(), block);
            buffer.copyFrom(1, 0, right.data(), block);
            processor.processBlock(buffer, midi);
        }
        costs.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
            seconds);
    }
    std::sort(costs.begin(), costs.end());
    std::printf("plugin, default model, stereo 48 kHz, block 64: %.4f s per s of audio (%.2f %% of "
                "one core), "
                "min %.4f max %.4f\n",
                costs[3], 100.0 * costs[3], costs.front(), costs.back());
    return 0;
}
