#pragma once
// Frames from an audio interface: each input channel one sensor (piezos, contact mics, CV
// through a DC-coupled interface), brought down to the model's frame rate by
// dsp/SensorDownsampler inside the audio callback, which then only pushes frames.

#include "frame_source.h"

#include "dsp/sensor_downsampler.h"

#include <juce_audio_devices/juce_audio_devices.h>

#include <atomic>
#include <vector>

namespace gs::sensor {

class AudioSensorSource final : public FrameSource, public juce::AudioIODeviceCallback {
public:
    // deviceName empty: the system default input. The first `channels` inputs are used.
    AudioSensorSource(std::string deviceName, int channels, double frameRate);
    ~AudioSensorSource() override;

    void start(FrameSink& sink) override;
    void stop() override;
    std::string description() const override;

    // Public for tests, which drive the callback without a device.
    void audioDeviceAboutToStart(juce::AudioIODevice* device) override;
    void prepare(double sampleRate);
    void
    audioDeviceIOCallbackWithContext(const float* const* inputs, int numInputs,
                                     float* const* outputs, int numOutputs, int numSamples,
                                     const juce::AudioIODeviceCallbackContext& context) override;
    void audioDeviceStopped() override {}
    void setSink(FrameSink& sink) noexcept { sink_ = &sink; }

private:
    std::string deviceName_;
    int channels_;
    double frameRate_;
    std::atomic<double> sampleRate_{0.0};  // written by the device thread, read by the UI
    std::atomic<bool> prepared_{false};
    juce::AudioDeviceManager devices_;
    SensorDownsampler downsampler_;
    std::vector<float> sample_, frame_;
    FrameSink* sink_ = nullptr;
    bool running_ = false;
};

}  // namespace gs::sensor
