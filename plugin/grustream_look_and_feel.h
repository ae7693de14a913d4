#pragma once
// The plugin's look: dark background, one accent colour (amber), large readable type.

#include <juce_gui_basics/juce_gui_basics.h>

namespace gs::plugin {

namespace palette {
inline const juce::Colour background{0xff14161a};
inline const juce::Colour panel{0xff1e2127};
inline const juce::Colour outline{0xff2c3038};
inline const juce::Colour text{0xffe8e6e1};
inline const juce::Colour dimText{0xff9a9ca3};
inline const juce::Colour accent{0xffffa630};
inline const juce::Colour warning{0xffff5c5c};
}  // namespace palette

class GruStreamLookAndFeel final : public juce::LookAndFeel_V4 {
public:
    GruStreamLookAndFeel();

    void drawRotarySlider(juce::Graphics& g, int x, int y, int width, int height, float position,
                          float startAngle, float endAngle, juce::Slider& slider) override;
    void drawButtonBackground(juce::Graphics& g, juce::Button& button,
                              const juce::Colour& background, bool highlighted, bool down) override;
};

}  // namespace gs::plugin
