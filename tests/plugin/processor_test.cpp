#include "dsp/resampling_model_stream.h"
#include "model/native_format.h"
#include "plugin_test_support.h"
#include "test_models.h"
#include "tools/grustream/audio_file.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#if GS_AUDIT_AUDIO_THREAD
#include "realtime/audio_thread_audit.h"
#endif

namespace gs::plugin {
namespace {

namespace fs = std::filesystem;

TEST(PluginProcessor, SoundsExactlyLikeGrustreamRenderAtTheModelsRate) {
    const fs::path dir =
        fs::temp_directory_path() / ("gs_plugin_render_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::vector<float> left = test::testTone(20000, 1), right = test::testTone(20000, 2);
    {
        AudioFileWriter writer(dir / "in.wav", 2, 48000.0);
        std::vector<float> interleaved;
        for (std::size_t i = 0; i < left.size(); ++i) {
            interleaved.push_back(left[i]);
            interleaved.push_back(right[i]);
        }
        writer.writeInterleaved(interleaved.data(), left.size());
        writer.commit();
    }
    const std::string command = std::string(GS_GRUSTREAM_BIN) + " render '" +
                                test::defaultModelFile().getFullPathName().toStdString() + "' '" +
                                (dir / "in.wav").string() + "' '" + (dir / "out.wav").string() +
                                "' 2>/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0);
    AudioFileReader reader(dir / "out.wav");
    std::vector<float> rendered(static_cast<std::size_t>(reader.frames() * 2));
    reader.readInterleaved(rendered.data(), static_cast<std::size_t>(reader.frames()));
    fs::remove_all(dir);

    GruStreamProcessor processor;
    processor.setPlayConfigDetails(2, 2, 48000.0, 256);
    processor.prepareToPlay(48000.0, 256);
    const auto output = test::runProcessor(processor, {left, right}, 256);
    for (std::size_t i = 0; i < left.size(); ++i) {
        ASSERT_EQ(output[0][i], rendered[2 * i]) << "left, sample " << i;
        ASSERT_EQ(output[1][i], rendered[2 * i + 1]) << "right, sample " << i;
    }
}

TEST(PluginProcessor, SupportsMonoStereoAndMonoToStereoOnly) {
    GruStreamProcessor processor;
    using Set = juce::AudioChannelSet;
    auto layout = [](const Set& in, const Set& out) {
        juce::AudioProcessor::BusesLayout l;
        l.inputBuses.add(in);
        l.outputBuses.add(out);
        return l;
    };
    EXPECT_TRUE(processor.checkBusesLayoutSupported(layout(Set::mono(), Set::mono())));
    EXPECT_TRUE(processor.checkBusesLayoutSupported(layout(Set::stereo(), Set::stereo())));
    EXPECT_TRUE(processor.checkBusesLayoutSupported(layout(Set::mono(), Set::stereo())));
    EXPECT_FALSE(processor.checkBusesLayoutSupported(layout(Set::stereo(), Set::mono())));
    EXPECT_FALSE(
        processor.checkBusesLayoutSupported(layout(Set::create5point1(), Set::create5point1())));
}

TEST(PluginProcessor, MonoInStereoOutFeedsBothOutputs) {
    GruStreamProcessor processor;
    juce::AudioProcessor::BusesLayout layout;
    layout.inputBuses.add(juce::AudioChannelSet::mono());
    layout.outputBuses.add(juce::AudioChannelSet::stereo());
    ASSERT_TRUE(processor.setBusesLayout(layout));
    processor.prepareToPlay(48000.0, 128);
    const auto output = test::runProcessor(
        processor, {test::testTone(1024, 3), std::vector<float>(1024, 0.0f)}, 128);
    EXPECT_EQ(output[0], output[1]);
    EXPECT_NE(output[0], test::testTone(1024, 3));
}

TEST(PluginProcessor, BadModelFileKeepsTheOldModelAndSaysWhy) {
    GruStreamProcessor processor;
    const juce::File broken = juce::File::createTempFile(".json");
    broken.replaceWithText(R"({"format": "grustream", "version": 1, "task": "effect"})");
    const juce::String error = processor.loadModelFile(broken);
    broken.deleteFile();
    EXPECT_TRUE(error.contains("sample_rate")) << error;
    EXPECT_TRUE(processor.modelDescription().isDefault);
    EXPECT_EQ(processor.status().lastError, error);
}

TEST(PluginProcessor, LoadsAModelInTheBackgroundAndReportsItsLatency) {
    const juce::File file = juce::File::createTempFile(".json");
    writeNativeModel(
        *test::randomModel(5, 1, 12, 1, 1, 1, Activation::None, ModelTask::Effect, 44100.0),
        file.getFullPathName().toStdString());
    GruStreamProcessor processor;
    processor.setPlayConfigDetails(2, 2, 48000.0, 256);
    processor.prepareToPlay(48000.0, 256);
    const int before = processor.modelGeneration();
    processor.loadModelFileAsync(file);
    for (int wait = 0; wait < 500 && processor.modelGeneration() == before; ++wait)
        juce::Thread::sleep(10);
    file.deleteFile();
    EXPECT_FALSE(processor.modelDescription().isDefault);
    EXPECT_EQ(processor.modelDescription().sampleRate, 44100.0);
    EXPECT_EQ(processor.getLatencySamples(), ResamplingModelStream::latencyFor(48000.0, 44100.0));
    const auto output =
        test::runProcessor(processor, {test::testTone(9600, 4), test::testTone(9600, 5)}, 256);
    EXPECT_TRUE(processor.engine().isResampling());
    for (float v : output[0]) ASSERT_TRUE(std::isfinite(v));
}

TEST(PluginProcessor, ModelLoadsAndStateRestoresWhileAudioRunsNeverTouchTheAudioThreadsBudget) {
    // Two more models on disk: one at 44.1 kHz (resampled), one GRU 24; a state holding each.
    const juce::File resampled = juce::File::createTempFile(".json"),
                     bigger = juce::File::createTempFile(".json");
    writeNativeModel(
        *test::randomModel(6, 1, 12, 1, 1, 1, Activation::None, ModelTask::Effect, 44100.0),
        resampled.getFullPathName().toStdString());
    writeNativeModel(*test::randomModel(7, 1, 24, 1, 1, 1), bigger.getFullPathName().toStdString());
    juce::MemoryBlock biggerState;
    {
        GruStreamProcessor source;
        ASSERT_EQ(source.loadModelFile(bigger), "");
        source.getStateInformation(biggerState);
    }
    GruStreamProcessor processor;
    processor.setPlayConfigDetails(2, 2, 48000.0, 256);
    processor.prepareToPlay(48000.0, 256);
    juce::MemoryBlock defaultState;
#if GS_AUDIT_AUDIO_THREAD
    {  // the audit's control: saving a state allocates, and is counted
        const auto before = test::totalAuditCounts();
        const test::AudioThreadAudit audit;
        processor.getStateInformation(defaultState);
        ASSERT_GT(test::totalAuditCounts().allocations, before.allocations);
    }
#else
    processor.getStateInformation(defaultState);
#endif

    std::atomic<bool> done{false};
    bool finite = true;
#if GS_AUDIT_AUDIO_THREAD
    test::AuditCounts audited;
#endif
    std::thread audio([&] {
        juce::AudioBuffer<float> buffer(2, 256);
        juce::MidiBuffer midi;
        std::mt19937 rng(8);
        std::uniform_real_distribution<float> noise(-0.5f, 0.5f);
#if GS_AUDIT_AUDIO_THREAD
        const auto before = test::totalAuditCounts();
#endif
        while (!done.load()) {
            for (int c = 0; c < 2; ++c)
                for (int i = 0; i < 256; ++i) buffer.setSample(c, i, noise(rng));
            {
#if GS_AUDIT_AUDIO_THREAD
                const test::AudioThreadAudit audit;
#endif
                processor.processBlock(buffer, midi);
            }
            for (int c = 0; c < 2; ++c)
                for (int i = 0; i < 256; ++i)
                    finite = finite && std::isfinite(buffer.getSample(c, i));
        }
#if GS_AUDIT_AUDIO_THREAD
        const auto after = test::totalAuditCounts();
        audited = {after.allocations - before.allocations, after.frees - before.frees,
                   after.locks - before.locks};
#endif
    });
    // The message thread, as a user and a host would: load files (in the background and
    // here), restore sessions holding other models, and go back to the default.
    for (int round = 0; round < 6; ++round) {
        const int generation = processor.modelGeneration();
        processor.loadModelFileAsync(round % 2 == 0 ? resampled : bigger);
        for (int wait = 0; wait < 500 && processor.modelGeneration() == generation; ++wait)
            juce::Thread::sleep(5);
        EXPECT_GT(processor.modelGeneration(), generation);
        processor.setStateInformation(biggerState.getData(),
                                      static_cast<int>(biggerState.getSize()));
        EXPECT_EQ(processor.modelDescription().path, bigger.getFullPathName());
        processor.setStateInformation(defaultState.getData(),
                                      static_cast<int>(defaultState.getSize()));
        EXPECT_TRUE(processor.modelDescription().isDefault);
        juce::Thread::sleep(20);  // let crossfades run
    }
    done.store(true);
    audio.join();
    resampled.deleteFile();
    bigger.deleteFile();
    EXPECT_TRUE(finite);
#if GS_AUDIT_AUDIO_THREAD
    EXPECT_EQ(audited.allocations, 0u);
    EXPECT_EQ(audited.frees, 0u);
    EXPECT_EQ(audited.locks, 0u);
#endif
}

TEST(PluginProcessor, ParametersReachTheEngine) {
    GruStreamProcessor processor;
    processor.setPlayConfigDetails(2, 2, 48000.0, 256);
    processor.prepareToPlay(48000.0, 256);
    processor.parameters().getParameter("mix")->setValueNotifyingHost(0.0f);  // all dry
    const auto input = test::testTone(4800, 6);
    const auto output = test::runProcessor(processor, {input, input}, 256);
    // After the 20 ms mix ramp the output is the input.
    for (std::size_t i = 2000; i < input.size(); ++i) ASSERT_EQ(output[0][i], input[i]) << i;
}

}  // namespace
}  // namespace gs::plugin
