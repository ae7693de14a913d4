#include "plugin_editor.h"

#include "plugin_parameters.h"

namespace gs::plugin {

GruStreamEditor::GruStreamEditor(GruStreamProcessor& owner)
    : AudioProcessorEditor(owner), processor_(owner) {
    setLookAndFeel(&lookAndFeel_);
    setUpKnob(inputGain_, parameterIds::inputGain, "INPUT");
    setUpKnob(mix_, parameterIds::mix, "MIX");
    setUpKnob(outputGain_, parameterIds::outputGain, "OUTPUT");

    bypass_.setClickingTogglesState(true);
    bypassAttachment_ = std::make_unique<juce::AudioProcessorValueTreeState::ButtonAttachment>(
        processor_.parameters(), parameterIds::bypass, bypass_);
    addAndMakeVisible(bypass_);
    load_.onClick = [this] { chooseModelFile(); };
    reset_.onClick = [this] { processor_.resetModelState(); };
    addAndMakeVisible(load_);
    addAndMakeVisible(reset_);

    title_.setText("GRUSTREAM", juce::dontSendNotification);
    title_.setColour(juce::Label::textColourId, palette::accent);
    for (auto* label : {&title_, &modelName_, &architecture_, &rate_, &status_, &error_})
        addAndMakeVisible(label);
    for (auto* label : {&architecture_, &rate_, &status_})
        label->setColour(juce::Label::textColourId, palette::dimText);
    error_.setColour(juce::Label::textColourId, palette::warning);
    error_.setMinimumHorizontalScale(0.6f);

    setResizable(true, true);
    setResizeLimits(defaultWidth / 2 + 100, defaultHeight / 2 + 60, defaultWidth * 3,
                    defaultHeight * 3);
    getConstrainer()->setFixedAspectRatio(static_cast<double>(defaultWidth) / defaultHeight);
    setSize(defaultWidth, defaultHeight);
    refresh();
    startTimerHz(10);
}

GruStreamEditor::~GruStreamEditor() {
    stopTimer();
    setLookAndFeel(nullptr);
}

void GruStreamEditor::setUpKnob(Knob& knob, const char* parameterId, const juce::String& caption) {
    knob.caption.setText(caption, juce::dontSendNotification);
    knob.caption.setJustificationType(juce::Justification::centred);
    knob.caption.setColour(juce::Label::textColourId, palette::dimText);
    knob.attachment = std::make_unique<juce::AudioProcessorValueTreeState::SliderAttachment>(
        processor_.parameters(), parameterId, knob.slider);
    addAndMakeVisible(knob.slider);
    addAndMakeVisible(knob.caption);
}

float GruStreamEditor::scale() const { return static_cast<float>(getWidth()) / defaultWidth; }

void GruStreamEditor::refresh() {
    const ModelDescription model = processor_.modelDescription();
    const EngineStatus status = processor_.status();
    shownGeneration_ = processor_.modelGeneration();
    modelName_.setText(model.name + (model.isDefault ? "  (built in)" : ""),
                       juce::dontSendNotification);
    architecture_.setText(model.architecture, juce::dontSendNotification);
    juce::String rate =
        "Model rate " + juce::String(model.sampleRate / 1000.0, 1) + " kHz" +
        (model.sampleRateAssumed ? " (assumed: not in the " + model.format + " file)" : "");
    rate << (status.resampling
                 ? "  |  resampling, latency " + juce::String(status.latencySamples) + " samples"
                 : "  |  no resampling");
    rate_.setText(rate, juce::dontSendNotification);
    if (status.nonFiniteCaught) guardHoldTicks_ = 30;  // keep the warning up for 3 s
    juce::String line = "CPU " + juce::String(status.cpuLoad * 100.0f, 1) + " %";
    if (status.loading) line << "  |  loading...";
    if (guardHoldTicks_ > 0) line << "  |  NaN/Inf caught: channel reset";
    status_.setText(line, juce::dontSendNotification);
    status_.setColour(juce::Label::textColourId,
                      guardHoldTicks_ > 0 ? palette::warning : palette::dimText);
    error_.setText(status.lastError, juce::dontSendNotification);
}

void GruStreamEditor::timerCallback() {
    if (guardHoldTicks_ > 0) --guardHoldTicks_;
    refresh();
}

void GruStreamEditor::paint(juce::Graphics& g) {
    g.fillAll(palette::background);
    const float s = scale();
    auto panel = getLocalBounds().toFloat().reduced(14.0f * s);
    panel.removeFromTop(150.0f * s);
    g.setColour(palette::panel);
    g.fillRoundedRectangle(panel.removeFromTop(200.0f * s), 10.0f * s);
    if (dragHover_) {
        g.setColour(palette::accent);
        g.drawRoundedRectangle(getLocalBounds().toFloat().reduced(3.0f), 8.0f, 3.0f);
    }
}

void GruStreamEditor::resized() {
    const float s = scale();
    auto font = [s](float size) { return juce::Font(size * s); };
    title_.setFont(font(26.0f).boldened());
    modelName_.setFont(font(20.0f));
    for (auto* label : {&architecture_, &rate_, &status_}) label->setFont(font(15.0f));
    error_.setFont(font(15.0f));

    auto area = getLocalBounds().reduced(juce::roundToInt(14.0f * s));
    auto header = area.removeFromTop(juce::roundToInt(150.0f * s));
    auto titleRow = header.removeFromTop(juce::roundToInt(40.0f * s));
    const int buttonWidth = juce::roundToInt(130.0f * s);
    reset_.setBounds(titleRow.removeFromRight(buttonWidth).reduced(juce::roundToInt(3.0f * s)));
    load_.setBounds(titleRow.removeFromRight(buttonWidth).reduced(juce::roundToInt(3.0f * s)));
    title_.setBounds(titleRow);
    const int line = juce::roundToInt(27.0f * s);
    modelName_.setBounds(header.removeFromTop(line + 4));
    architecture_.setBounds(header.removeFromTop(line));
    rate_.setBounds(header.removeFromTop(line));
    status_.setBounds(header.removeFromTop(line));

    auto knobs =
        area.removeFromTop(juce::roundToInt(200.0f * s)).reduced(juce::roundToInt(10.0f * s));
    const int textBoxHeight = juce::roundToInt(22.0f * s);
    auto bypassColumn = knobs.removeFromRight(knobs.getWidth() / 4);
    bypass_.setBounds(bypassColumn.withSizeKeepingCentre(
        bypassColumn.getWidth() - juce::roundToInt(20.0f * s), juce::roundToInt(44.0f * s)));
    const int knobWidth = knobs.getWidth() / 3;
    for (Knob* knob : {&inputGain_, &mix_, &outputGain_}) {
        auto column = knobs.removeFromLeft(knobWidth);
        knob->caption.setFont(font(14.0f));
        knob->caption.setBounds(column.removeFromTop(juce::roundToInt(22.0f * s)));
        knob->slider.setTextBoxStyle(juce::Slider::TextBoxBelow, false, column.getWidth(),
                                     textBoxHeight);
        knob->slider.setBounds(column);
    }
    error_.setBounds(area.reduced(0, juce::roundToInt(6.0f * s)));
}

void GruStreamEditor::chooseModelFile() {
    chooser_ =
        std::make_unique<juce::FileChooser>("Load a GruStream model", juce::File(), "*.json");
    chooser_->launchAsync(juce::FileBrowserComponent::openMode |
                              juce::FileBrowserComponent::canSelectFiles,
                          [this](const juce::FileChooser& chooser) {
                              const juce::File file = chooser.getResult();
                              if (file.existsAsFile()) processor_.loadModelFileAsync(file);
                          });
}

bool GruStreamEditor::isInterestedInFileDrag(const juce::StringArray& files) {
    dragHover_ = files.size() == 1;
    repaint();
    return dragHover_;
}

void GruStreamEditor::filesDropped(const juce::StringArray& files, int, int) {
    dragHover_ = false;
    repaint();
    if (files.size() == 1) processor_.loadModelFileAsync(juce::File(files[0]));
}

}  // namespace gs::plugin
