#pragma once
// The GruStream audio processor: JUCE adapts buffers, parameters and state around the
// real-time dsp::StreamEngine, which does all the audio work.
//
// Threads: processBlock on the audio thread (engine only, plus atomics). Model loading parses
// and validates on a background thread (loadModelFileAsync) or on the calling thread
// (loadModelFile, state restore), then hands the model to the engine without locks. The
// editor reads status() and modelInfo(), which never touch audio-thread data except atomics.

#include "dsp/stream_engine.h"
#include "plugin_state.h"

#include <juce_audio_processors/juce_audio_processors.h>

#include <atomic>
#include <memory>
#include <mutex>

namespace gs::plugin {

// What the editor shows about the loaded model.
struct ModelDescription {
    juce::String name;
    juce::String architecture;  // "GRU x1, hidden 40, 5,201 parameters"
    double sampleRate = 0.0;
    bool sampleRateAssumed = false;  // the file did not state it
    juce::String format;             // "grustream", "guitarml", "rtneural", "state_dict"
    juce::String path;               // empty for the built-in default
    bool isDefault = true;
};

// Live engine readings for the editor.
struct EngineStatus {
    float cpuLoad = 0.0f;  // moving average of process time / real time
    bool resampling = false;
    int latencySamples = 0;
    bool nonFiniteCaught = false;  // since the editor last asked
    juce::String lastError;        // the last load or restore error, empty if none
    bool loading = false;
};

class GruStreamProcessor final : public juce::AudioProcessor {
public:
    GruStreamProcessor();
    ~GruStreamProcessor() override;

    void prepareToPlay(double sampleRate, int maximumExpectedSamplesPerBlock) override;
    void releaseResources() override {}
    bool isBusesLayoutSupported(const BusesLayout& layouts) const override;
    void processBlock(juce::AudioBuffer<float>& buffer, juce::MidiBuffer& midi) override;
    void processBlockBypassed(juce::AudioBuffer<float>& buffer, juce::MidiBuffer& midi) override;
    using juce::AudioProcessor::processBlock;
    using juce::AudioProcessor::processBlockBypassed;

    juce::AudioProcessorEditor* createEditor() override;
    bool hasEditor() const override { return true; }

    const juce::String getName() const override { return "GruStream"; }
    bool acceptsMidi() const override { return false; }
    bool producesMidi() const override { return false; }
    bool isMidiEffect() const override { return false; }
    double getTailLengthSeconds() const override { return 0.0; }
    int getNumPrograms() override { return 1; }
    int getCurrentProgram() override { return 0; }
    void setCurrentProgram(int) override {}
    const juce::String getProgramName(int) override { return "Default"; }
    void changeProgramName(int, const juce::String&) override {}

    void getStateInformation(juce::MemoryBlock& destination) override;
    void setStateInformation(const void* data, int sizeInBytes) override;
    juce::AudioProcessorParameter* getBypassParameter() const override;

    // Loads and validates on this thread; on failure the old model keeps playing and the
    // returned message (also kept as the last error) says why.
    juce::String loadModelFile(const juce::File& file);
    // The same on a background thread.
    void loadModelFileAsync(const juce::File& file);
    void loadDefaultModel();
    // Clears the hidden state of every channel (any thread).
    void resetModelState() { engine_.reset(); }

    ModelDescription modelDescription() const;
    EngineStatus status();
    // Increments whenever the model changes; the editor refreshes when it moves.
    int modelGeneration() const noexcept { return modelGeneration_.load(); }

    juce::AudioProcessorValueTreeState& parameters() noexcept { return parameters_; }
    const StreamEngine& engine() const noexcept { return engine_; }

private:
    juce::String applyModelText(const juce::String& text, const juce::String& path, bool isDefault);
    void pushParametersToEngine() noexcept;
    void runEngine(juce::AudioBuffer<float>& buffer) noexcept;
    void setError(const juce::String& message);

    juce::AudioProcessorValueTreeState parameters_;
    StreamEngine engine_;

    std::atomic<float>* inputGainDb_ = nullptr;
    std::atomic<float>* outputGainDb_ = nullptr;
    std::atomic<float>* mixPercent_ = nullptr;
    std::atomic<float>* bypass_ = nullptr;
    std::atomic<bool> hostBypassing_{false};

    mutable std::mutex modelMutex_;  // never taken on the audio thread
    SavedModel savedModel_;
    ModelDescription description_;
    juce::String lastError_;

    std::atomic<int> modelGeneration_{0};
    std::atomic<int> pendingLoads_{0};
    std::atomic<double> sampleRate_{48000.0};
    std::atomic<float> cpuLoad_{0.0f};
    std::atomic<bool> nonFiniteSeen_{false};
    // Serialises whole model loads (engine swap + record), so the saved state always names
    // the model that plays. Never taken on the audio thread.
    std::mutex loadMutex_;
    // Last: destroyed first, so a running load never outlives the members it uses.
    juce::ThreadPool loader_{1};

    JUCE_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(GruStreamProcessor)
};

}  // namespace gs::plugin
