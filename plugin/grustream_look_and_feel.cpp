#include "grustream_look_and_feel.h"

namespace gs::plugin {

GruStreamLookAndFeel::GruStreamLookAndFeel() {
    setColourScheme({palette::background, palette::panel, palette::panel, palette::outline,
                     palette::text, palette::accent, juce::Colours::black, palette::accent,
                     palette::text});
    setColour(juce::Slider::rotarySliderFillColourId, palette::accent);
    setColour(juce::Slider::rotarySliderOutlineColourId, palette::outline);
    setColour(juce::Slider::thumbColourId, palette::accent);
    setColour(juce::Slider::textBoxTextColourId, palette::text);
    setColour(juce::Slider::textBoxOutlineColourId, juce::Colours::transparentBlack);
    setColour(juce::Label::textColourId, palette::text);
    setColour(juce::TextButton::buttonColourId, palette::panel);
    setColour(juce::TextButton::textColourOffId, palette::text);
    setColour(juce::TextButton::buttonOnColourId, palette::accent);
    setColour(juce::TextButton::textColourOnId, palette::background);
    setColour(juce::ToggleButton::textColourId, palette::text);
    setColour(juce::ToggleButton::tickColourId, palette::accent);
}

void GruStreamLookAndFeel::drawRotarySlider(juce::Graphics& g, int x, int y, int width, int height,
                                            float position, float startAngle, float endAngle,
                                            juce::Slider&) {
    const auto bounds = juce::Rectangle<int>(x, y, width, height).toFloat().reduced(6.0f);
    const float radius = std::min(bounds.getWidth(), bounds.getHeight()) / 2.0f;
    const auto centre = bounds.getCentre();
    const float lineWidth = std::max(3.0f, radius * 0.12f);
    const float angle = startAngle + position * (endAngle - startAngle);

    juce::Path track;
    track.addCentredArc(centre.x, centre.y, radius - lineWidth, radius - lineWidth, 0.0f,
                        startAngle, endAngle, true);
    g.setColour(palette::outline);
    g.strokePath(track, juce::PathStrokeType(lineWidth, juce::PathStrokeType::curved,
                                             juce::PathStrokeType::rounded));

    juce::Path value;
    value.addCentredArc(centre.x, centre.y, radius - lineWidth, radius - lineWidth, 0.0f,
                        startAngle, angle, true);
    g.setColour(palette::accent);
    g.strokePath(value, juce::PathStrokeType(lineWidth, juce::PathStrokeType::curved,
                                             juce::PathStrokeType::rounded));

    g.setColour(palette::panel);
    g.fillEllipse(juce::Rectangle<float>(radius * 1.2f, radius * 1.2f).withCentre(centre));
    const auto tip = centre.getPointOnCircumference(radius * 0.55f, angle);
    g.setColour(palette::text);
    g.drawLine({centre.getPointOnCircumference(radius * 0.2f, angle), tip}, lineWidth * 0.7f);
}

void GruStreamLookAndFeel::drawButtonBackground(juce::Graphics& g, juce::Button& button,
                                                const juce::Colour&, bool highlighted, bool down) {
    auto bounds = button.getLocalBounds().toFloat().reduced(1.0f);
    const bool on = button.getToggleState();
    g.setColour(on ? palette::accent : (down ? palette::outline : palette::panel));
    g.fillRoundedRectangle(bounds, 6.0f);
    g.setColour(highlighted ? palette::accent : palette::outline);
    g.drawRoundedRectangle(bounds, 6.0f, 1.5f);
}

}  // namespace gs::plugin
