#include "audio_sensor_source.h"

#include "sensor_frames.h"

#include <stdexcept>

namespace gs::sensor {

AudioSensorSource::AudioSensorSource(std::string deviceName, int channels, double frameRate)
    : deviceName_(std::move(deviceName)), channels_(channels), frameRate_(frameRate),
      sample_(static_cast<std::size_t>(channels)), frame_(static_cast<std::size_t>(channels)) {}

AudioSensorSource::~AudioSensorSource() { stop(); }

void AudioSensorSource::start(FrameSink& sink) {
    sink_ = &sink;
    const juce::String error =
        devices_.initialise(channels_, 0, nullptr, true, deviceName_, nullptr);
    if (error.isNotEmpty()) throw std::runtime_error("audio input: " + error.toStdString());
    auto* device = devices_.getCurrentAudioDevice();
    std::string problem;
    if (device == nullptr)
        problem = "audio input: no audio device found";
    else if (device->getActiveInputChannels().countNumberOfSetBits() < channels_)
        problem = "audio input: \"" + device->getName().toStdString() + "\" has " +
                  std::to_string(device->getActiveInputChannels().countNumberOfSetBits()) +
                  " input channels; the model needs " + std::to_string(channels_);
    else if (device->getCurrentSampleRate() < frameRate_)
        problem = "audio input: the device runs at " +
                  std::to_string(device->getCurrentSampleRate()) +
                  " Hz, below the model's frame rate";
    if (!problem.empty()) {
        devices_.closeAudioDevice();
        throw std::runtime_error(problem);
    }
    devices_.addAudioCallback(this);
    running_ = true;
}

void AudioSensorSource::stop() {
    if (!running_) return;
    devices_.removeAudioCallback(this);
    devices_.closeAudioDevice();
    running_ = false;
}

std::string AudioSensorSource::description() const {
    return "audio input, " + std::to_string(channels_) + " channels at " +
           std::to_string(static_cast<int>(sampleRate_.load())) + " Hz";
}

void AudioSensorSource::audioDeviceAboutToStart(juce::AudioIODevice* device) {
    try {
        prepare(device->getCurrentSampleRate());
    } catch (const std::exception&) {
        // a rate below the frame rate: deliver nothing rather than throw into JUCE
        prepared_ = false;
    }
}

void AudioSensorSource::prepare(double sampleRate) {
    prepared_ = false;
    downsampler_.prepare(channels_, sampleRate, frameRate_);
    sampleRate_ = sampleRate;
    prepared_ = true;
}

// audio thread
void AudioSensorSource::audioDeviceIOCallbackWithContext(
    const float* const* inputs, int numInputs, float* const* outputs, int numOutputs,
    int numSamples, const juce::AudioIODeviceCallbackContext&) {
    for (int c = 0; c < numOutputs; ++c)
        if (outputs[c] != nullptr) juce::FloatVectorOperations::clear(outputs[c], numSamples);
    if (sink_ == nullptr || !prepared_) return;
    const std::int64_t arrival = nowNanos();
    for (int n = 0; n < numSamples; ++n) {
        for (int c = 0; c < channels_; ++c)
            sample_[static_cast<std::size_t>(c)] =
                c < numInputs && inputs[c] != nullptr ? inputs[c][n] : 0.0f;
        if (downsampler_.push(sample_.data(), frame_.data()))
            sink_->pushFrame(frame_.data(), arrival);
    }
}

}  // namespace gs::sensor
