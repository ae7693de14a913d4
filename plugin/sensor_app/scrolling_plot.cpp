#include "scrolling_plot.h"

#include "../grustream_look_and_feel.h"

#include <algorithm>
#include <cmath>

namespace gs::sensor {

juce::Colour seriesColour(int index) {
    static const juce::uint32 colours[] = {0xffffa630, 0xff4cc9f0, 0xff80ed99, 0xfff72585,
                                           0xffb8b8ff, 0xfffee440, 0xff00bbf9, 0xffff7b54};
    return juce::Colour(colours[static_cast<std::size_t>(index) % std::size(colours)]);
}

ScrollingPlot::ScrollingPlot(juce::String title, int capacity)
    : title_(std::move(title)), capacity_(capacity) {}

void ScrollingPlot::setChannels(const std::vector<std::string>& names,
                                const std::vector<juce::Colour>& colours) {
    names_ = names;
    colours_ = colours;
    history_.assign(names.size(), std::vector<float>(static_cast<std::size_t>(capacity_), 0.0f));
    written_ = 0;
    repaint();
}

void ScrollingPlot::setFixedRange(float low, float high) {
    fixedRange_ = true;
    low_ = low;
    high_ = high;
}

void ScrollingPlot::push(const float* values) {
    const auto slot = static_cast<std::size_t>(written_ % capacity_);
    for (std::size_t c = 0; c < history_.size(); ++c)
        history_[c][slot] = std::isfinite(values[c]) ? values[c] : 0.0f;
    ++written_;
}

void ScrollingPlot::setMarkers(std::vector<std::pair<float, juce::Colour>> markers) {
    markers_ = std::move(markers);
    repaint();
}

void ScrollingPlot::clear() {
    for (auto& channel : history_) std::fill(channel.begin(), channel.end(), 0.0f);
    written_ = 0;
    repaint();
}

void ScrollingPlot::paint(juce::Graphics& g) {
    using namespace plugin;
    const auto bounds = getLocalBounds().toFloat();
    g.setColour(palette::panel);
    g.fillRoundedRectangle(bounds, 6.0f);
    const auto area = bounds.reduced(10.0f, 22.0f).withTrimmedTop(4.0f);
    g.setColour(palette::dimText);
    g.setFont(13.0f);
    g.drawText(title_, bounds.reduced(10.0f, 4.0f).removeFromTop(16.0f), juce::Justification::left);

    const int count = std::min(written_, capacity_);
    float low = low_, high = high_;
    if (!fixedRange_ && count > 0) {
        low = high = history_.empty() ? 0.0f : history_[0][0];
        for (const auto& channel : history_)
            for (int i = 0; i < count; ++i) {
                low = std::min(low, channel[static_cast<std::size_t>(i)]);
                high = std::max(high, channel[static_cast<std::size_t>(i)]);
            }
        const float pad = std::max(0.1f, 0.1f * (high - low));
        low -= pad;
        high += pad;
    }
    auto yOf = [&](float v) {
        return area.getBottom() - (v - low) / (high - low) * area.getHeight();
    };

    for (const auto& [value, colour] : markers_) {
        const float dashes[] = {4.0f, 4.0f};
        g.setColour(colour.withAlpha(0.7f));
        g.drawDashedLine(juce::Line<float>(area.getX(), yOf(value), area.getRight(), yOf(value)),
                         dashes, 2, 1.0f);
    }
    const float step = area.getWidth() / static_cast<float>(capacity_ - 1);
    for (std::size_t c = 0; c < history_.size(); ++c) {
        juce::Path path;
        for (int i = 0; i < count; ++i) {
            // Oldest first; the newest frame sits at the right edge.
            const int frame = written_ - count + i;
            const float v = history_[c][static_cast<std::size_t>(frame % capacity_)];
            const float x = area.getRight() - static_cast<float>(count - 1 - i) * step;
            const juce::Point<float> point(x, juce::jlimit(area.getY(), area.getBottom(), yOf(v)));
            if (i == 0)
                path.startNewSubPath(point);
            else
                path.lineTo(point);
        }
        g.setColour(colours_[c]);
        g.strokePath(path, juce::PathStrokeType(1.6f));
    }
    // Legend, right-aligned on the title row.
    float x = bounds.getRight() - 10.0f;
    for (std::size_t c = names_.size(); c-- > 0;) {
        const auto width = static_cast<float>(juce::Font(13.0f).getStringWidth(names_[c])) + 6.0f;
        x -= width;
        g.setColour(colours_[c]);
        g.drawText(names_[c], juce::Rectangle<float>(x, bounds.getY() + 4.0f, width, 16.0f),
                   juce::Justification::centred);
        x -= 6.0f;
    }
}

}  // namespace gs::sensor
