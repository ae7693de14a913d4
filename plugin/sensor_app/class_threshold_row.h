#pragma once
// One class in the sensor app: its colour and name, a live score bar, and a two-thumb slider
// for the off (left) and on (right) levels. Tells its owner when the levels move.

#include "dsp/detection_settings.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <functional>

namespace gs::sensor {

class ClassThresholdRow final : public juce::Component {
public:
    ClassThresholdRow(const std::string& name, juce::Colour colour,
                      const ClassDetectionSettings& settings);

    void setScore(float score, bool active);
    std::function<void(float offLevel, float onLevel)> onLevelsChanged;

    void paint(juce::Graphics& g) override;
    void resized() override;

private:
    juce::String name_;
    juce::Colour colour_;
    bool background_;
    float score_ = 0.0f;
    bool active_ = false;
    juce::Slider levels_{juce::Slider::TwoValueHorizontal, juce::Slider::NoTextBox};
};

}  // namespace gs::sensor
