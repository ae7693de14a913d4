#pragma once
// A strip chart of several channels over the last `capacity` frames, newest at the right.
// Fixed (0..1, for scores) or auto-ranged (for raw sensor values); optional horizontal marker
// lines (the thresholds). UI thread only.

#include <juce_gui_basics/juce_gui_basics.h>

#include <vector>

namespace gs::sensor {

class ScrollingPlot final : public juce::Component {
public:
    ScrollingPlot(juce::String title, int capacity);

    void setChannels(const std::vector<std::string>& names,
                     const std::vector<juce::Colour>& colours);
    void setFixedRange(float low, float high);  // otherwise the range follows the data
    // One frame: a value per channel.
    void push(const float* values);
    // Horizontal lines at these values in these colours (dashed).
    void setMarkers(std::vector<std::pair<float, juce::Colour>> markers);
    void clear();

    void paint(juce::Graphics& g) override;

private:
    juce::String title_;
    int capacity_;
    std::vector<std::string> names_;
    std::vector<juce::Colour> colours_;
    std::vector<std::vector<float>> history_;  // per channel, a ring of capacity_ values
    int written_ = 0;
    bool fixedRange_ = false;
    float low_ = -1.0f, high_ = 1.0f;
    std::vector<std::pair<float, juce::Colour>> markers_;
};

// Distinct colours for channels and classes.
juce::Colour seriesColour(int index);

}  // namespace gs::sensor
