#include "plugin_parameters.h"

namespace gs::plugin {

juce::AudioProcessorValueTreeState::ParameterLayout createParameterLayout() {
    using juce::AudioParameterFloat;
    auto decibels =
        juce::AudioParameterFloatAttributes().withLabel("dB").withStringFromValueFunction(
            [](float value, int) { return juce::String(value, 1) + " dB"; });
    auto percent = juce::AudioParameterFloatAttributes().withLabel("%").withStringFromValueFunction(
        [](float value, int) { return juce::String(juce::roundToInt(value)) + " %"; });

    juce::AudioProcessorValueTreeState::ParameterLayout layout;
    layout.add(std::make_unique<AudioParameterFloat>(
        juce::ParameterID{parameterIds::inputGain, 1}, "Input gain",
        juce::NormalisableRange<float>(-24.0f, 24.0f, 0.1f), 0.0f, decibels));
    layout.add(std::make_unique<AudioParameterFloat>(
        juce::ParameterID{parameterIds::outputGain, 1}, "Output gain",
        juce::NormalisableRange<float>(-24.0f, 24.0f, 0.1f), 0.0f, decibels));
    layout.add(std::make_unique<AudioParameterFloat>(
        juce::ParameterID{parameterIds::mix, 1}, "Mix",
        juce::NormalisableRange<float>(0.0f, 100.0f, 0.1f), 100.0f, percent));
    layout.add(std::make_unique<juce::AudioParameterBool>(
        juce::ParameterID{parameterIds::bypass, 1}, "Bypass", false));
    return layout;
}

}  // namespace gs::plugin
