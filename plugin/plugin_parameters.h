#pragma once
// The plugin's automatable parameters: IDs (stable: saved in sessions) and ranges.

#include <juce_audio_processors/juce_audio_processors.h>

namespace gs::plugin {

namespace parameterIds {
inline constexpr const char* inputGain = "input_gain";
inline constexpr const char* outputGain = "output_gain";
inline constexpr const char* mix = "mix";
inline constexpr const char* bypass = "bypass";
}  // namespace parameterIds

juce::AudioProcessorValueTreeState::ParameterLayout createParameterLayout();

}  // namespace gs::plugin
