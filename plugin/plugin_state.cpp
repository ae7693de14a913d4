#include "plugin_state.h"

#include <juce_cryptography/juce_cryptography.h>

#include <cstring>
#include <limits>

namespace gs::plugin {
namespace {

const juce::Identifier rootTag("GRUSTREAM_STATE");
const juce::Identifier modelTag("MODEL");
const juce::Identifier parametersTag("PARAMETERS");

// JUCE's XML parser and string functions read past the end of malformed UTF-8 (found by
// tests/fuzz/fuzz_plugin_state: a stray 0x93 in an attribute), so every text taken from a
// blob is checked first: valid UTF-8 with no NUL inside.
bool isCleanUtf8(const char* text, std::size_t bytes) {
    return bytes <= static_cast<std::size_t>(std::numeric_limits<int>::max()) &&
           std::memchr(text, 0, bytes) == nullptr &&
           juce::CharPointer_UTF8::isValidString(text, static_cast<int>(bytes));
}

// JUCE's XML parser is also very slow on some broken nestings (found by the same
// fuzzer: 3.7 kB of unclosed elements still ran after 20 s: a DAW would hang loading it). Our
// states are a few elements deep, so the parser only ever sees text that is well nested, at
// most maxXmlDepth deep, with no comments, processing instructions or declarations after the
// opening <?xml ...?>: one linear pass decides.
constexpr int maxXmlDepth = 8;

bool isPlainShallowXml(const char* text, std::size_t bytes) {
    std::size_t i = 0;
    if (bytes >= 5 && std::memcmp(text, "<?xml", 5) == 0) {  // the prolog JUCE writes
        const char* end = static_cast<const char*>(std::memchr(text, '>', bytes));
        if (end == nullptr || end == text || end[-1] != '?') return false;
        i = static_cast<std::size_t>(end - text) + 1;
    }
    int depth = 0;
    bool sawRoot = false;
    while (i < bytes) {
        if (text[i] != '<') {
            if (text[i] == '>') return false;
            ++i;
            continue;
        }
        if (++i >= bytes) return false;
        const bool closing = text[i] == '/';
        if (text[i] == '!' || text[i] == '?') return false;
        char quote = 0;
        const std::size_t start = i;
        for (; i < bytes && (quote != 0 || text[i] != '>'); ++i) {
            if (quote != 0) {
                if (text[i] == quote)
                    quote = 0;
                else if (text[i] == '<')
                    return false;
            } else if (text[i] == '"' || text[i] == '\'') {
                quote = text[i];
            } else if (text[i] == '<') {
                return false;
            }
        }
        if (i >= bytes) return false;  // a tag that never closes
        const bool selfClosing = text[i - 1] == '/' && i - 1 > start;
        ++i;
        if (closing) {
            if (--depth < 0) return false;
            continue;
        }
        if (depth == 0) {
            if (sawRoot) return false;  // a second root
            sawRoot = true;
        }
        if (!selfClosing && ++depth > maxXmlDepth) return false;
    }
    return depth == 0 && sawRoot;
}

// The blob is a tag, the XML's byte count (both little-endian 32-bit), the single-line XML and
// a NUL: the layout of AudioProcessor::copyXmlToBinary, so states saved by any GruStream load.
constexpr juce::uint32 blobTag = 0x21324356;
constexpr int blobHeaderBytes = 8;

void writeBlob(const juce::XmlElement& xml, juce::MemoryBlock& destination) {
    const juce::String text = xml.toString(juce::XmlElement::TextFormat().singleLine());
    const auto textBytes = text.getNumBytesAsUTF8();
    destination.setSize(0);
    juce::MemoryOutputStream out(destination, false);
    out.writeInt(static_cast<int>(blobTag));
    out.writeInt(static_cast<int>(textBytes));
    out.write(text.toRawUTF8(), textBytes);
    out.writeByte(0);
}

std::unique_ptr<juce::XmlElement> readBlob(const void* data, int sizeInBytes) {
    if (sizeInBytes <= blobHeaderBytes || juce::ByteOrder::littleEndianInt(data) != blobTag)
        return nullptr;
    const auto* bytes = static_cast<const char*>(data);
    const auto claimed = static_cast<juce::int64>(juce::ByteOrder::littleEndianInt(bytes + 4));
    // never trust the claim
    const auto textBytes = std::min<juce::int64>(claimed, sizeInBytes - blobHeaderBytes);
    const char* text = bytes + blobHeaderBytes;
    if (textBytes <= 0 || !isCleanUtf8(text, static_cast<std::size_t>(textBytes)) ||
        !isPlainShallowXml(text, static_cast<std::size_t>(textBytes)))
        return nullptr;
    return juce::parseXML(juce::String::fromUTF8(text, static_cast<int>(textBytes)));
}

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
        if (text.getDataSize() + static_cast<std::size_t>(got) > maxModelTextBytes)
            return std::nullopt;
        text.write(buffer, static_cast<std::size_t>(got));
    }
    if (!zip.isExhausted() || text.getDataSize() == 0 ||
        !isCleanUtf8(static_cast<const char*>(text.getData()), text.getDataSize()))
        return std::nullopt;
    return text.toUTF8();
}

}  // namespace

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
    writeBlob(root, destination);
}

DecodedState decodeState(const void* data, int sizeInBytes) {
    DecodedState result;
    if (data == nullptr || sizeInBytes <= 0) {
        result.error = "the saved state is empty";
        return result;
    }
    const auto xml = readBlob(data, sizeInBytes);
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
        if (encoded.isNotEmpty() && compressed.fromBase64Encoding(encoded))
            text = decompress(compressed);
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

}  // namespace gs::plugin
