#include "class_threshold_row.h"

#include "../grustream_look_and_feel.h"

namespace gs::sensor {

ClassThresholdRow::ClassThresholdRow(const std::string& name, juce::Colour colour,
                                     const ClassDetectionSettings& settings)
    : name_(name), colour_(colour), background_(settings.background) {
    levels_.setRange(0.0, 1.0, 0.01);
    levels_.setMinAndMaxValues(settings.offLevel, settings.onLevel, juce::dontSendNotification);
    levels_.setColour(juce::Slider::thumbColourId, colour_);
    levels_.setColour(juce::Slider::trackColourId, colour_.withAlpha(0.35f));
    levels_.setTooltip(
        "Left: off level (a detection ends below it). Right: on level (it starts here).");
    levels_.onValueChange = [this] {
        if (onLevelsChanged)
            onLevelsChanged(static_cast<float>(levels_.getMinValue()),
                            static_cast<float>(levels_.getMaxValue()));
        repaint();
    };
    levels_.setEnabled(!background_);
    addAndMakeVisible(levels_);
}

void ClassThresholdRow::setScore(float score, bool active) {
    if (score == score_ && active == active_) return;
    score_ = score;
    active_ = active;
    repaint();
}

void ClassThresholdRow::paint(juce::Graphics& g) {
    using namespace plugin;
    auto area = getLocalBounds().toFloat().reduced(2.0f);
    g.setColour(active_ ? colour_.withAlpha(0.25f) : palette::panel);
    g.fillRoundedRectangle(area, 5.0f);
    auto top = area.reduced(8.0f, 4.0f).removeFromTop(18.0f);
    g.setColour(colour_);
    g.fillEllipse(top.removeFromLeft(10.0f).withSizeKeepingCentre(10.0f, 10.0f));
    top.removeFromLeft(6.0f);
    g.setColour(palette::text);
    g.setFont(15.0f);
    g.drawText(name_ + (background_ ? "  (background)" : ""), top, juce::Justification::left);
    g.setColour(palette::dimText);
    g.drawText(juce::String(score_, 2), top, juce::Justification::right);
    // Score bar under the slider's track.
    auto bar = area.reduced(8.0f, 0.0f).withTrimmedTop(24.0f).withHeight(4.0f);
    g.setColour(palette::outline);
    g.fillRect(bar);
    g.setColour(colour_);
    g.fillRect(bar.withWidth(bar.getWidth() * juce::jlimit(0.0f, 1.0f, score_)));
}

void ClassThresholdRow::resized() {
    levels_.setBounds(getLocalBounds().reduced(4, 2).withTrimmedTop(28));
}

}  // namespace gs::sensor
