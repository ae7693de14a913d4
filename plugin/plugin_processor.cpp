#include "plugin_processor.h"

#include "BinaryData.h"
#include "dsp/resampling_model_stream.h"
#include "model/model_error.h"
#include "model/model_loader.h"
#include "plugin_editor.h"
#include "plugin_parameters.h"

namespace gs::plugin {
namespace {

juce::String describeArchitecture(const RecurrentModel& model) {
    juce::String cells;
    for (const auto& layer : model.layers()) {
        if (cells.isNotEmpty()) cells << " + ";
        cells << juce::String(layer->typeName()).toUpperCase() << " " << layer->hiddenSize();
    }
    return cells + " -> dense " + juce::String(model.head().outputSize()) + ", " +
           juce::String(model.parameterCount()) + " parameters";
}

juce::String defaultModelText() {
    return juce::String::fromUTF8(GruStreamData::default_effect_json,
                                  GruStreamData::default_effect_jsonSize);
}

}  // namespace

GruStreamProcessor::GruStreamProcessor()
    : AudioProcessor(BusesProperties()
                         .withInput("Input", juce::AudioChannelSet::stereo(), true)
                         .withOutput("Output", juce::AudioChannelSet::stereo(), true)),
      parameters_(*this, nullptr, "PARAMETERS", createParameterLayout()) {
    inputGainDb_ = parameters_.getRawParameterValue(parameterIds::inputGain);
    outputGainDb_ = parameters_.getRawParameterValue(parameterIds::outputGain);
    mixPercent_ = parameters_.getRawParameterValue(parameterIds::mix);
    bypass_ = parameters_.getRawParameterValue(parameterIds::bypass);
    loadDefaultModel();
}

// wait for a running load
GruStreamProcessor::~GruStreamProcessor() { loader_.removeAllJobs(true, -1); }

bool GruStreamProcessor::isBusesLayoutSupported(const BusesLayout& layouts) const {
    const auto in = layouts.getMainInputChannelSet();
    const auto out = layouts.getMainOutputChannelSet();
    if (out == juce::AudioChannelSet::mono()) return in == juce::AudioChannelSet::mono();
    if (out == juce::AudioChannelSet::stereo())
        return in == juce::AudioChannelSet::stereo() || in == juce::AudioChannelSet::mono();
    return false;
}

void GruStreamProcessor::prepareToPlay(double sampleRate, int maximumExpectedSamplesPerBlock) {
    sampleRate_.store(sampleRate);
    pushParametersToEngine();
    try {  // an exception must never reach the host
        engine_.prepare(sampleRate, std::max(1, maximumExpectedSamplesPerBlock),
                        std::max(1, getTotalNumInputChannels()));
    } catch (const std::exception& error) {
        setError(juce::String("Cannot run at this sample rate or block size: ") + error.what());
    }
    setLatencySamples(engine_.latencySamples());
}

void GruStreamProcessor::pushParametersToEngine() noexcept {
    EngineParameters& p = engine_.parameters();
    p.setInputGainDb(inputGainDb_->load(std::memory_order_relaxed));
    p.setOutputGainDb(outputGainDb_->load(std::memory_order_relaxed));
    p.setMix(mixPercent_->load(std::memory_order_relaxed) / 100.0f);
    p.setBypassed(bypass_->load(std::memory_order_relaxed) >= 0.5f ||
                  hostBypassing_.load(std::memory_order_relaxed));
}

void GruStreamProcessor::processBlock(juce::AudioBuffer<float>& buffer, juce::MidiBuffer&) {
    hostBypassing_.store(false, std::memory_order_relaxed);
    runEngine(buffer);
}

// Hosts that bypass without our parameter still get the engine's click-free bypass fade.
void GruStreamProcessor::processBlockBypassed(juce::AudioBuffer<float>& buffer, juce::MidiBuffer&) {
    hostBypassing_.store(true, std::memory_order_relaxed);
    runEngine(buffer);
}

void GruStreamProcessor::runEngine(juce::AudioBuffer<float>& buffer) noexcept {
    const auto started = juce::Time::getHighResolutionTicks();
    const int numSamples = buffer.getNumSamples();
    const int inputs = getTotalNumInputChannels();
    const int outputs = getTotalNumOutputChannels();
    pushParametersToEngine();
    engine_.process(buffer.getArrayOfWritePointers(), std::min(inputs, buffer.getNumChannels()),
                    numSamples);
    if (inputs == 1 && outputs >= 2 && buffer.getNumChannels() >= 2)
        buffer.copyFrom(1, 0, buffer, 0, 0, numSamples);  // mono in, stereo out
    for (int channel = std::max(inputs, inputs == 1 ? 2 : inputs);
         channel < buffer.getNumChannels(); ++channel)
        buffer.clear(channel, 0, numSamples);

    if (numSamples > 0) {
        const double elapsed = juce::Time::highResolutionTicksToSeconds(
            juce::Time::getHighResolutionTicks() - started);
        const double realTime = numSamples / sampleRate_.load(std::memory_order_relaxed);
        const auto load = static_cast<float>(elapsed / realTime);
        const float previous = cpuLoad_.load(std::memory_order_relaxed);
        cpuLoad_.store(previous + 0.05f * (load - previous), std::memory_order_relaxed);
    }
}

juce::AudioProcessorParameter* GruStreamProcessor::getBypassParameter() const {
    return parameters_.getParameter(parameterIds::bypass);
}

juce::String GruStreamProcessor::applyModelText(const juce::String& text, const juce::String& path,
                                                bool isDefault) {
    const juce::String source = path.isNotEmpty() ? path : juce::String("built-in default model");
    const std::lock_guard<std::mutex> loading(loadMutex_);
    std::shared_ptr<const RecurrentModel> model;
    try {
        model = loadModelText(text.toStdString(), source.toStdString());
        if (model->info().task != ModelTask::Effect)
            return "\"" + source + "\" is a " + modelTaskName(model->info().task) +
                   " model; the plugin needs an effect model (1 input, 1 output)";
        engine_.setModel(model);
    } catch (const ModelError& error) {
        return error.what();
    } catch (const std::exception& error) {
        return source + ": " + error.what();
    }
    {
        const std::lock_guard<std::mutex> lock(modelMutex_);
        savedModel_ = {text, path, sha256Hex(text), isDefault};
        description_.name = juce::String(model->info().metadataValue("name", "(unnamed model)"));
        description_.architecture = describeArchitecture(*model);
        description_.sampleRate = model->info().sampleRate;
        description_.sampleRateAssumed = model->info().sampleRateAssumed;
        description_.format = juce::String(model->info().sourceFormat);
        description_.path = path;
        description_.isDefault = isDefault;
        lastError_.clear();
    }
    setLatencySamples(
        ResamplingModelStream::latencyFor(sampleRate_.load(), model->info().sampleRate));
    ++modelGeneration_;
    return {};
}

juce::String GruStreamProcessor::loadModelFile(const juce::File& file) {
    juce::String error;
    if (!file.existsAsFile())
        error = file.getFullPathName() + ": no such file";
    else if (file.getSize() > static_cast<juce::int64>(maxModelTextBytes))
        error = file.getFullPathName() + ": larger than the 64 MiB a model file may be";
    else
        error = applyModelText(file.loadFileAsString(), file.getFullPathName(), false);
    if (error.isNotEmpty()) setError(error);
    return error;
}

void GruStreamProcessor::loadModelFileAsync(const juce::File& file) {
    ++pendingLoads_;
    loader_.addJob([this, file] {
        loadModelFile(file);
        --pendingLoads_;
    });
}

void GruStreamProcessor::loadDefaultModel() {
    const juce::String error = applyModelText(defaultModelText(), {}, true);
    jassert(error.isEmpty());  // the bundled model is validated by the test suite
    if (error.isNotEmpty()) setError("the built-in default model failed to load: " + error);
}

void GruStreamProcessor::setError(const juce::String& message) {
    const std::lock_guard<std::mutex> lock(modelMutex_);
    lastError_ = message;
    ++modelGeneration_;
}

void GruStreamProcessor::getStateInformation(juce::MemoryBlock& destination) {
    SavedState state;
    state.parameters = parameters_.copyState();
    {
        const std::lock_guard<std::mutex> lock(modelMutex_);
        state.model = savedModel_;
    }
    encodeState(state, destination);
}

void GruStreamProcessor::setStateInformation(const void* data, int sizeInBytes) {
    const DecodedState decoded = decodeState(data, sizeInBytes);
    if (!decoded.state) {
        loadDefaultModel();
        setError("Could not restore the saved session (" + decoded.error +
                 "); loaded the default model.");
        return;
    }
    if (decoded.state->parameters.hasType(parameters_.state.getType()))
        parameters_.replaceState(decoded.state->parameters);
    {
        // Restoring the model already playing would restart it from zero state: skip that.
        const std::lock_guard<std::mutex> lock(modelMutex_);
        const bool sameModel = decoded.state->model
                                   ? decoded.state->model->sha256 == savedModel_.sha256
                                   : savedModel_.isDefault;
        if (sameModel) {
            lastError_.clear();
            return;
        }
    }
    if (!decoded.state->model || decoded.state->model->isDefault) {
        loadDefaultModel();
        return;
    }
    const SavedModel& saved = *decoded.state->model;
    const juce::String error = applyModelText(saved.text, saved.path, false);
    if (error.isNotEmpty()) {
        loadDefaultModel();
        setError("Could not restore the saved model (" + error + "); loaded the default model.");
    }
}

ModelDescription GruStreamProcessor::modelDescription() const {
    const std::lock_guard<std::mutex> lock(modelMutex_);
    return description_;
}

EngineStatus GruStreamProcessor::status() {
    EngineStatus status;
    status.cpuLoad = cpuLoad_.load();
    status.resampling = engine_.isResampling();
    status.latencySamples = engine_.latencySamples();
    status.nonFiniteCaught = engine_.takeNonFiniteFlag();
    status.loading = pendingLoads_.load() > 0;
    const std::lock_guard<std::mutex> lock(modelMutex_);
    status.lastError = lastError_;
    return status;
}

juce::AudioProcessorEditor* GruStreamProcessor::createEditor() {
    return new GruStreamEditor(*this);
}

}  // namespace gs::plugin

juce::AudioProcessor* JUCE_CALLTYPE createPluginFilter() {
    return new gs::plugin::GruStreamProcessor();
}
