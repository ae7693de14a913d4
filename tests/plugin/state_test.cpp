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
    expectDefaultWithMessage(state.getData(), static_cast<int>(state.getSize() / 2), "default model");

    // A valid blob whose model text does not match its checksum.
    SavedState tampered;
    tampered.parameters = original.parameters().copyState();
    tampered.model = SavedModel{"{\"format\": \"grustream\"}", "/x.json", sha256Hex("something else"), false};
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

} // namespace
} // namespace gs::plugin
