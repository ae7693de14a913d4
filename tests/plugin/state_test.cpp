#include "model/native_format.h"
#include "plugin_state.h"
#include "plugin_test_support.h"
#include "test_models.h"

#include <gtest/gtest.h>

namespace gs::plugin {
namespace {

juce::MemoryBlock savedState(GruStreamProcessor& processor) {
    juce::MemoryBlock state;
    processor.getStateInformation(state);
    return state;
}

std::vector<std::vector<float>> renderFresh(GruStreamProcessor& processor) {
    processor.setPlayConfigDetails(2, 2, 48000.0, 512);
    processor.prepareToPlay(48000.0, 512);
    return test::runProcessor(processor, {test::testTone(6000, 7), test::testTone(6000, 8)}, 512);
}

TEST(PluginState, ParametersAndModelRoundTripThroughTheHostState) {
    const juce::File file = juce::File::createTempFile(".json");
    writeNativeModel(*test::randomModel(9, 1, 16, 1, 1, 1), file.getFullPathName().toStdString());
    GruStreamProcessor original;
    ASSERT_EQ(original.loadModelFile(file), "");
    original.parameters().getParameter("input_gain")->setValueNotifyingHost(0.7f);
    original.parameters().getParameter("mix")->setValueNotifyingHost(0.4f);
    const juce::MemoryBlock state = savedState(original);

    GruStreamProcessor restored;
    restored.setStateInformation(state.getData(), static_cast<int>(state.getSize()));
    EXPECT_FLOAT_EQ(restored.parameters().getParameter("input_gain")->getValue(), 0.7f);
    EXPECT_FLOAT_EQ(restored.parameters().getParameter("mix")->getValue(), 0.4f);
    EXPECT_EQ(restored.modelDescription().path, file.getFullPathName());
    EXPECT_EQ(renderFresh(restored), renderFresh(original));
    file.deleteFile();
}

TEST(PluginState, RestoresFromTheEmbeddedCopyWhenTheModelFileIsGone) {
    const juce::File file = juce::File::createTempFile(".json");
    writeNativeModel(*test::randomModel(10, 1, 8, 2, 1, 1), file.getFullPathName().toStdString());
    GruStreamProcessor original;
    ASSERT_EQ(original.loadModelFile(file), "");
    const juce::MemoryBlock state = savedState(original);
    ASSERT_TRUE(file.deleteFile());

    GruStreamProcessor restored;
    restored.setStateInformation(state.getData(), static_cast<int>(state.getSize()));
    EXPECT_FALSE(restored.modelDescription().isDefault);
    EXPECT_EQ(restored.status().lastError, "");
    EXPECT_EQ(renderFresh(restored), renderFresh(original));
}

void expectDefaultWithMessage(const void* data, int size, const char* words) {
    GruStreamProcessor processor;
    const juce::File file = juce::File::createTempFile(".json");
    writeNativeModel(*test::randomModel(11, 1, 8, 1), file.getFullPathName().toStdString());
    ASSERT_EQ(processor.loadModelFile(file), "");
    file.deleteFile();
    processor.setStateInformation(data, size);
    EXPECT_TRUE(processor.modelDescription().isDefault);
    EXPECT_TRUE(processor.status().lastError.contains(words)) << processor.status().lastError;
    const auto output = renderFresh(processor);
    for (float v : output[0]) ASSERT_TRUE(std::isfinite(v));
}

TEST(PluginState, CorruptBlobsLoadTheDefaultModelAndSaySo) {
    expectDefaultWithMessage(nullptr, 0, "empty");
    const char garbage[] = "\x01\x02not a state at all\xff";
    expectDefaultWithMessage(garbage, sizeof(garbage), "not a GruStream state");
    juce::Random random(3);
    std::vector<char> noise(4096);
    for (auto& b : noise) b = static_cast<char>(random.nextInt(256));
    expectDefaultWithMessage(noise.data(), static_cast<int>(noise.size()), "default model");
}

TEST(PluginState, TruncatedAndTamperedStatesAreRefused) {
    GruStreamProcessor original;
    const juce::File file = juce::File::createTempFile(".json");
    writeNativeModel(*test::randomModel(12, 1, 8, 1), file.getFullPathName().toStdString());
    ASSERT_EQ(original.loadModelFile(file), "");
    file.deleteFile();
    const juce::MemoryBlock state = savedState(original);
    expectDefaultWithMessage(state.getData(), static_cast<int>(state.getSize() / 2),
                             "default model");

    // A valid blob whose model text does not match its checksum.
    SavedState tampered;
    tampered.parameters = original.parameters().copyState();
    tampered.model =
        SavedModel{R"({"format": "grustream"})", "/x.json", sha256Hex("something else"), false};
    juce::MemoryBlock blob;
    encodeState(tampered, blob);
    expectDefaultWithMessage(blob.getData(), static_cast<int>(blob.getSize()), "checksum");

    // Intact checksum, invalid model: the loader's message comes through.
    tampered.model->sha256 = sha256Hex(tampered.model->text);
    encodeState(tampered, blob);
    expectDefaultWithMessage(blob.getData(), static_cast<int>(blob.getSize()), "version");
}

TEST(PluginState, DecodingNeverTrustsTheBlob) {
    EXPECT_FALSE(decodeState(nullptr, 10).state);
    SavedState state;
    state.model = SavedModel{"hello", "", sha256Hex("hello"), false};
    juce::MemoryBlock blob;
    encodeState(state, blob);
    const DecodedState decoded = decodeState(blob.getData(), static_cast<int>(blob.getSize()));
    ASSERT_TRUE(decoded.state);
    EXPECT_EQ(decoded.state->model->text, "hello");
}

TEST(PluginState, BlobLayoutIsJucesSoOlderSessionsStillLoad) {
    // Earlier builds wrote states with AudioProcessor::copyXmlToBinary; ours must be the
    // same bytes, and read what it wrote, including a claimed length past the end.
    SavedState state;
    state.model = SavedModel{"abc", "/tmp/m.json", sha256Hex("abc"), false};
    juce::MemoryBlock ours;
    encodeState(state, ours);
    const auto xml =
        juce::AudioProcessor::getXmlFromBinary(ours.getData(), static_cast<int>(ours.getSize()));
    ASSERT_NE(xml, nullptr);
    juce::MemoryBlock juces;
    juce::AudioProcessor::copyXmlToBinary(*xml, juces);
    EXPECT_EQ(ours, juces);
    juce::MemoryBlock lying = juces;
    lying.removeSection(lying.getSize() - 40, 40);  // the length field now claims 40 bytes too many
    EXPECT_FALSE(decodeState(lying.getData(), static_cast<int>(lying.getSize())).state);
    EXPECT_TRUE(decodeState(juces.getData(), static_cast<int>(juces.getSize())).state);
}

TEST(PluginState, MalformedUtf8IsRefusedBeforeJuceParsesIt) {
    // Found by tests/fuzz/fuzz_plugin_state: JUCE's XML parser read past the end of a blob
    // with a stray byte 0x93 in a quoted attribute (ASan: heap-buffer-overflow). Under ASan
    // (CI's sanitizer build) this test would crash without the check.
    SavedState state;
    state.model = SavedModel{"abc", "/tmp/m.json", sha256Hex("abc"), false};
    juce::MemoryBlock blob;
    encodeState(state, blob);
    auto* bytes = static_cast<char*>(blob.getData());
    const std::string text(bytes + 8, blob.getSize() - 9);
    const auto quote = text.find("path=\"") + 6;
    bytes[8 + quote] = static_cast<char>(0x93);
    EXPECT_FALSE(decodeState(blob.getData(), static_cast<int>(blob.getSize())).state);
    bytes[8 + quote] = '\0';  // a NUL inside the text is as bad
    EXPECT_FALSE(decodeState(blob.getData(), static_cast<int>(blob.getSize())).state);
    // And inside the compressed model: valid gzip of invalid UTF-8.
    SavedState invalidModel;
    invalidModel.model = SavedModel{juce::String(), "", "", false};
    juce::MemoryOutputStream compressed;
    {
        juce::GZIPCompressorOutputStream zip(compressed, 9);
        zip.write("{\"a\":\"\x93\"}", 9);
    }
    const juce::String encoded = compressed.getMemoryBlock().toBase64Encoding();
    juce::XmlElement root("GRUSTREAM_STATE");
    root.setAttribute("version", 1);
    auto* model = root.createNewChildElement("MODEL");
    model->setAttribute("gzip_base64", encoded);
    juce::MemoryBlock crafted;
    juce::AudioProcessor::copyXmlToBinary(root, crafted);
    const DecodedState decoded =
        decodeState(crafted.getData(), static_cast<int>(crafted.getSize()));
    EXPECT_FALSE(decoded.state);
    EXPECT_EQ(decoded.error, "the model stored in the saved state is damaged");
}

TEST(PluginState, BrokenNestingIsRefusedWithoutParsing) {
    // Found by tests/fuzz/fuzz_plugin_state: JUCE's XML parser still ran after 20 s on 3.7 kB of
    // unclosed elements (a session that hangs the DAW; the seed is in tests/fuzz/corpus/state).
    // Such text never reaches the parser now.
    auto blobOf = [](const std::string& xml) {
        juce::MemoryOutputStream out;
        out.writeInt(0x21324356);
        out.writeInt(static_cast<int>(xml.size()));
        out.write(xml.data(), xml.size());
        out.writeByte(0);
        return out.getMemoryBlock();
    };
    std::string unclosed = "<GRUSTREAM_STATE version=\"1\">";
    for (int i = 0; i < 2000; ++i) unclosed += "<PARAMETERS><!-- x ";
    for (const std::string& xml :
         {unclosed,
          std::string("<GRUSTREAM_STATE><A><B><C><D><E><F><G><H><I/></H></G></F></E></D></C></B></"
                      "A></GRUSTREAM_STATE>"),
          std::string("<GRUSTREAM_STATE version=\"1\"/><GRUSTREAM_STATE/>"),
          std::string("<GRUSTREAM_STATE version=\"1\"><?pi x?></GRUSTREAM_STATE>")}) {
        const juce::MemoryBlock blob = blobOf(xml);
        EXPECT_FALSE(decodeState(blob.getData(), static_cast<int>(blob.getSize())).state)
            << xml.substr(0, 80);
    }
    // Eight levels are allowed, and a plain state decodes.
    const juce::MemoryBlock ok =
        blobOf("<?xml version=\"1.0\" encoding=\"UTF-8\"?> <GRUSTREAM_STATE version=\"1\">"
               "<PARAMETERS><PARAMETERS><PARAM id=\"mix\" value=\"0.5\"/></PARAMETERS></PARAMETERS>"
               "</GRUSTREAM_STATE>");
    EXPECT_TRUE(decodeState(ok.getData(), static_cast<int>(ok.getSize())).state);
}

}  // namespace
}  // namespace gs::plugin
