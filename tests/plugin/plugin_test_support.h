#pragma once
// Driving the plugin's processor like a host would, for the plugin tests.

#include "plugin_processor.h"

#include <vector>

namespace gs::test {

// Processes planar channels through the processor in blocks of the given size.
inline std::vector<std::vector<float>> runProcessor(juce::AudioProcessor& processor,
                                                    std::vector<std::vector<float>> channels,
                                                    int blockSize) {
    const int numChannels = static_cast<int>(channels.size());
    const int frames = static_cast<int>(channels[0].size());
    juce::MidiBuffer midi;
    for (int start = 0; start < frames; start += blockSize) {
        const int n = std::min(blockSize, frames - start);
        std::vector<float*> pointers;
        pointers.reserve(channels.size());
        for (auto& channel : channels) pointers.push_back(channel.data() + start);
        juce::AudioBuffer<float> buffer(pointers.data(), numChannels, n);
        processor.processBlock(buffer, midi);
    }
    return channels;
}

inline std::vector<float> testTone(int frames, unsigned seed) {
    std::vector<float> s(static_cast<std::size_t>(frames));
    juce::Random random(static_cast<juce::int64>(seed));
    for (int i = 0; i < frames; ++i)
        s[static_cast<std::size_t>(i)] =
            0.4f * std::sin(0.03f * static_cast<float>(i)) + 0.2f * (random.nextFloat() - 0.5f);
    return s;
}

inline juce::File defaultModelFile() {
    return juce::File(GS_SOURCE_DIR).getChildFile("resources/models/default_effect.json");
}

}  // namespace gs::test
