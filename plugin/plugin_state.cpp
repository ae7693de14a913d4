#include "plugin_state.h"

#include <juce_cryptography/juce_cryptography.h>

namespace gs::plugin {
namespace {

const juce::Identifier rootTag("GRUSTREAM_STATE");
const juce::Identifier modelTag("MODEL");
const juce::Identifier parametersTag("PARAMETERS");

juce::MemoryBlock compress(const juce::String& text) {
    juce::MemoryOutputStream compressed;
    {
        juce::GZIPCompressorOutputStream zip(compressed, 9);
        zip.write(text.toRawUTF8(), text.getNumBytesAsUTF8());
    }
    return compressed.getMemoryBlock();
}

// Inflates with a hard size limit, so a crafted blob cannot make us allocate without bound.
std::optional<juce::String> decompress(const juce::MemoryBlock& data) {
    juce::MemoryInputStream source(data, false);
    juce::GZIPDecompressorInputStream zip(source);
    juce::MemoryOutputStream text;
    char buffer[65536];
    for (;;) {
        const int got = zip.read(buffer, sizeof(buffer));
        if (got <= 0) break;
        if (text.getDataSize() + static_cast<std::size_t>(got) > maxModelTextBytes) return std::nullopt;
        text.write(buffer, static_cast<std::size_t>(got));
    }
    if (!zip.isExhausted() || text.getDataSize() == 0) return std::nullopt;
    return text.toUTF8();
}

} // namespace

juce::String sha256Hex(const juce::String& text) {
    return juce::SHA256(text.toRawUTF8(), text.getNumBytesAsUTF8()).toHexString();
}

void encodeState(const SavedState& state, juce::MemoryBlock& destination) {
    juce::XmlElement root(rootTag.toString());
    root.setAttribute("version", stateVersion);
    auto* parameters = root.createNewChildElement(parametersTag.toString());
    if (auto xml = state.parameters.createXml()) parameters->addChildElement(xml.release());
    if (state.model) {
        auto* model = root.createNewChildElement(modelTag.toString());
        model->setAttribute("path", state.model->path);
        model->setAttribute("sha256", state.model->sha256);
        model->setAttribute("default", state.model->isDefault);
        model->setAttribute("gzip_base64", compress(state.model->text).toBase64Encoding());
    }
    juce::AudioProcessor::copyXmlToBinary(root, destination);
}

DecodedState decodeState(const void* data, int sizeInBytes) {
    DecodedState result;
    if (data == nullptr || sizeInBytes <= 0) {
        result.error = "the saved state is empty";
        return result;
    }
    const auto xml = juce::AudioProcessor::getXmlFromBinary(data, sizeInBytes);
    if (xml == nullptr || !xml->hasTagName(rootTag.toString())) {
        result.error = "the saved state is not a GruStream state or is damaged";
        return result;
    }
    if (xml->getIntAttribute("version", 0) > stateVersion) {
        result.error = "the saved state comes from a newer GruStream (state version " +
                       juce::String(xml->getIntAttribute("version")) + ")";
        return result;
    }
    SavedState state;
    if (const auto* parameters = xml->getChildByName(parametersTag.toString()))
        if (const auto* tree = parameters->getFirstChildElement())
            state.parameters = juce::ValueTree::fromXml(*tree);
    if (const auto* model = xml->getChildByName(modelTag.toString())) {
        SavedModel saved;
        saved.path = model->getStringAttribute("path");
        saved.sha256 = model->getStringAttribute("sha256");
        saved.isDefault = model->getBoolAttribute("default");
        juce::MemoryBlock compressed;
        const juce::String encoded = model->getStringAttribute("gzip_base64");
        std::optional<juce::String> text;
        if (encoded.isNotEmpty() && compressed.fromBase64Encoding(encoded)) text = decompress(compressed);
        if (!text) {
            result.error = "the model stored in the saved state is damaged";
            return result;
        }
        if (sha256Hex(*text) != saved.sha256) {
            result.error = "the model stored in the saved state does not match its checksum";
            return result;
        }
        saved.text = *text;
        state.model = std::move(saved);
    }
    result.state = std::move(state);
    return result;
}

} // namespace gs::plugin
