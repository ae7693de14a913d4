#pragma once
// The plugin's window: model facts, live engine status, the four parameters, and model
// loading by button or drag and drop. Reads the processor only through its thread-safe
// accessors (atomics and mutex-guarded copies), never the audio thread's data.

#include "grustream_look_and_feel.h"
#include "plugin_processor.h"

#include <juce_audio_processors/juce_audio_processors.h>

namespace gs::plugin {

class GruStreamEditor final : public juce::AudioProcessorEditor,
                              public juce::FileDragAndDropTarget,
                              private juce::Timer {
public:
    static constexpr int defaultWidth = 760;
    static constexpr int defaultHeight = 440;

    explicit GruStreamEditor(GruStreamProcessor& owner);
    ~GruStreamEditor() override;

    void paint(juce::Graphics& g) override;
    void resized() override;

    bool isInterestedInFileDrag(const juce::StringArray& files) override;
    void filesDropped(const juce::StringArray& files, int x, int y) override;

    // For tests and screenshots: refresh every label from the processor now.
    void refresh();

private:
    struct Knob {
        juce::Slider slider{juce::Slider::RotaryHorizontalVerticalDrag, juce::Slider::TextBoxBelow};
        juce::Label caption;
        std::unique_ptr<juce::AudioProcessorValueTreeState::SliderAttachment> attachment;
    };

    void timerCallback() override;
    void setUpKnob(Knob& knob, const char* parameterId, const juce::String& caption);
    void chooseModelFile();
    float scale() const;

    GruStreamProcessor& processor_;
    GruStreamLookAndFeel lookAndFeel_;
    Knob inputGain_, outputGain_, mix_;
    juce::TextButton bypass_{"Bypass"};
    std::unique_ptr<juce::AudioProcessorValueTreeState::ButtonAttachment> bypassAttachment_;
    juce::TextButton load_{"Load model..."};
    juce::TextButton reset_{"Reset state"};
    juce::Label title_, modelName_, architecture_, rate_, status_, error_;
    std::unique_ptr<juce::FileChooser> chooser_;
    int shownGeneration_ = -1;
    bool dragHover_ = false;
    int guardHoldTicks_ = 0;

    JUCE_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(GruStreamEditor)
};

}  // namespace gs::plugin
