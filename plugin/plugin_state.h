#pragma once
// The plugin's saved state: parameters plus the model itself (its file text, gzip-compressed,
// with the original path and a SHA-256 of the text), so a session reopens with the same sound
// on a machine that never had the model file. Decoding never throws and never trusts sizes:
// a corrupt or foreign blob comes back as an error message. Only JUCE's core, data-structure
// and cryptography modules are used, so the decoder can be fuzzed without the plugin.

#include <juce_data_structures/juce_data_structures.h>

#include <optional>

namespace gs::plugin {

struct SavedModel {
    juce::String text;    // the model file's content, any supported format
    juce::String path;    // where it was loaded from (empty for the built-in default)
    juce::String sha256;  // of text
    bool isDefault = false;
};

struct SavedState {
    juce::ValueTree parameters;       // as written by AudioProcessorValueTreeState::copyState
    std::optional<SavedModel> model;  // absent in a state that holds none
};

struct DecodedState {
    std::optional<SavedState> state;
    juce::String error;  // set when state is empty
};

inline constexpr int stateVersion = 1;
inline constexpr std::size_t maxModelTextBytes = 64u * 1024u * 1024u;

void encodeState(const SavedState& state, juce::MemoryBlock& destination);
DecodedState decodeState(const void* data, int sizeInBytes);

juce::String sha256Hex(const juce::String& text);

}  // namespace gs::plugin
