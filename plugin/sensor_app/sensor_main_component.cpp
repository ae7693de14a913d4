#include "sensor_main_component.h"

#include "csv_replay_source.h"
#include "session_setup.h"

#include "tools/sensor_io/detection_log.h"

namespace gs::sensor {

using plugin::palette::accent;
using plugin::palette::background;
using plugin::palette::dimText;
using plugin::palette::text;
using plugin::palette::warning;

SensorMainComponent::SensorMainComponent(SensorOptions options) : options_(std::move(options)) {
    setLookAndFeel(&lookAndFeel_);
    title_.setText("GRUSTREAM SENSOR", juce::dontSendNotification);
    title_.setColour(juce::Label::textColourId, accent);
    title_.setFont(juce::Font(20.0f, juce::Font::bold));
    detection_.setFont(juce::Font(46.0f, juce::Font::bold));
    detection_.setJustificationType(juce::Justification::centred);
    for (auto* label : {&modelDetails_, &status_})
        label->setColour(juce::Label::textColourId, dimText);
    error_.setColour(juce::Label::textColourId, warning);
    error_.setMinimumHorizontalScale(0.6f);
    for (auto* label : {&title_, &modelName_, &modelDetails_, &detection_, &status_, &error_})
        addAndMakeVisible(label);

    input_.addItemList({"OSC (UDP)", "Audio input", "Replay CSV"}, 1);
    input_.setSelectedId(static_cast<int>(options_.input) + 1, juce::dontSendNotification);
    port_.setText(juce::String(options_.oscPort));
    port_.setInputRestrictions(5, "0123456789");
    address_.setText(options_.oscAddress);
    fast_.setToggleState(options_.replayFast, juce::dontSendNotification);
    log_.setMultiLine(true);
    log_.setReadOnly(true);
    log_.setFont(juce::Font(juce::Font::getDefaultMonospacedFontName(), 13.0f, juce::Font::plain));
    record_.setClickingTogglesState(true);
    scoresPlot_.setFixedRange(0.0f, 1.0f);
    for (juce::Component* c : std::initializer_list<juce::Component*>{
             &loadModel_, &chooseReplay_, &apply_, &record_, &saveLog_, &input_, &port_, &address_,
             &fast_, &log_, &inputsPlot_, &scoresPlot_})
        addAndMakeVisible(c);

    loadModel_.onClick = [this] { chooseModelFile(); };
    chooseReplay_.onClick = [this] { chooseReplayFile(); };
    apply_.onClick = [this] { applyInputControls(); };
    record_.onClick = [this] { toggleRecording(); };
    saveLog_.onClick = [this] { saveLog(); };

    setSize(defaultWidth, defaultHeight);
    loadModel(options_.model);
    if (!model_) {  // the requested model is unusable: run the built-in one and say why
        const juce::String why = error_.getText();
        loadModel({});
        showError(why + "  (running the built-in detector instead)");
    }
    if (!options_.screenshot.empty()) screenshotCountdown_ = 0;
    startTimerHz(30);
}

SensorMainComponent::~SensorMainComponent() {
    stopTimer();
    if (session_) session_->stop();
    setLookAndFeel(nullptr);
}

void SensorMainComponent::showError(const juce::String& message) {
    error_.setText(message, juce::dontSendNotification);
}

void SensorMainComponent::loadModel(const std::string& path) {
    try {
        auto model = loadDetectorModel(path);
        if (model->inputSize() > maxValues || model->outputSize() > maxValues)
            throw std::runtime_error("the app takes up to 64 inputs and classes");
        model_ = std::move(model);
        options_.model = path;
    } catch (const std::exception& error) {
        showError(error.what());
        return;
    }
    const ModelInfo& info = model_->info();
    modelName_.setText(info.metadataValue("name", path.empty() ? "default detector" : path) +
                           (path.empty() ? "  (built in)" : ""),
                       juce::dontSendNotification);
    std::string layers;
    for (const auto& layer : model_->layers())
        layers += std::string(layers.empty() ? "" : " + ") + layer->typeName() + " " +
                  std::to_string(layer->hiddenSize());
    modelDetails_.setText(juce::String(model_->inputSize()) + " inputs at " +
                              juce::String(info.sampleRate, 1) + " frames/s, " + layers + ", " +
                              juce::String(model_->outputSize()) + " classes",
                          juce::dontSendNotification);
    std::vector<juce::Colour> inputColours;
    inputColours.reserve(static_cast<std::size_t>(model_->inputSize()));
    for (int i = 0; i < model_->inputSize(); ++i) inputColours.push_back(seriesColour(i));
    inputsPlot_.setChannels(info.inputNames, inputColours);
    restart();
}

void SensorMainComponent::restart() {
    if (!model_) return;
    juce::String previousError;
    if (session_) {
        session_->stop();  // commits a recording in progress; a new session starts unrecorded
        previousError = session_->stats().error;
        session_.reset();
        record_.setToggleState(false, juce::dontSendNotification);
    }
    showError(previousError);
    try {
        session_ = makeSession(options_, model_);
        session_->start();
    } catch (const std::exception& error) {
        session_.reset();
        showError(error.what());
    }
    rebuildClassRows();
    lastFrames_ = 0;
    inputsPlot_.clear();
    scoresPlot_.clear();
}

void SensorMainComponent::rebuildClassRows() {
    rows_.clear();
    const auto& names = model_->info().outputNames;
    const auto settings =
        session_ ? session_->initialSettings() : std::vector<ClassDetectionSettings>(names.size());
    levels_ = settings;
    std::vector<juce::Colour> colours;
    for (std::size_t c = 0; c < names.size(); ++c) {
        colours.push_back(seriesColour(static_cast<int>(c)));
        auto row = std::make_unique<ClassThresholdRow>(names[c], colours.back(), settings[c]);
        row->onLevelsChanged = [this, c](float off, float on) {
            ClassDetectionSettings changed = levels_[c];
            changed.offLevel = off;
            changed.onLevel = on;
            if (session_ && !session_->setClassSettings(static_cast<int>(c), changed)) {
                showError("could not change the levels (off must not be above on)");
                return;
            }
            levels_[c] = changed;
            updateMarkers();
        };
        addAndMakeVisible(*row);
        rows_.push_back(std::move(row));
    }
    scoresPlot_.setChannels(names, colours);
    updateMarkers();
    active_.assign(names.size(), false);
    shownScores_.assign(names.size(), 0.0f);
    detection_.setText("-", juce::dontSendNotification);
    resized();
}

// The on level of every class that can fire, dashed over the score plot.
void SensorMainComponent::updateMarkers() {
    std::vector<std::pair<float, juce::Colour>> markers;
    for (std::size_t c = 0; c < levels_.size(); ++c)
        if (!levels_[c].background)
            markers.emplace_back(levels_[c].onLevel, seriesColour(static_cast<int>(c)));
    scoresPlot_.setMarkers(markers);
}

void SensorMainComponent::applyInputControls() {
    options_.input = static_cast<InputKind>(input_.getSelectedId() - 1);
    options_.oscPort = port_.getText().getIntValue();
    options_.oscAddress = address_.getText().toStdString();
    options_.replayFast = fast_.getToggleState();
    if (options_.input == InputKind::Replay && options_.replayFile.empty()) {
        chooseReplayFile();
        return;
    }
    restart();
}

void SensorMainComponent::chooseModelFile() {
    chooser_ = std::make_unique<juce::FileChooser>("Load a detector model", juce::File(), "*.json");
    chooser_->launchAsync(juce::FileBrowserComponent::openMode |
                              juce::FileBrowserComponent::canSelectFiles,
                          [this](const juce::FileChooser& chooser) {
                              if (chooser.getResult() != juce::File())
                                  loadModel(chooser.getResult().getFullPathName().toStdString());
                          });
}

void SensorMainComponent::chooseReplayFile() {
    chooser_ = std::make_unique<juce::FileChooser>("Replay recorded frames", juce::File(), "*.csv");
    chooser_->launchAsync(
        juce::FileBrowserComponent::openMode | juce::FileBrowserComponent::canSelectFiles,
        [this](const juce::FileChooser& chooser) {
            if (chooser.getResult() == juce::File()) return;
            options_.replayFile = chooser.getResult().getFullPathName().toStdString();
            options_.input = InputKind::Replay;
            input_.setSelectedId(3, juce::dontSendNotification);
            restart();
        });
}

void SensorMainComponent::toggleRecording() {
    if (!session_) return;
    try {
        if (!record_.getToggleState()) {
            session_->stopRecording();  // throws TextFileError when the commit fails
            return;
        }
        chooser_ = std::make_unique<juce::FileChooser>("Record frames to", juce::File(), "*.csv");
        chooser_->launchAsync(
            juce::FileBrowserComponent::saveMode | juce::FileBrowserComponent::warnAboutOverwriting,
            [this](const juce::FileChooser& chooser) {
                if (chooser.getResult() == juce::File() || !session_) {
                    record_.setToggleState(false, juce::dontSendNotification);
                    return;
                }
                options_.recordFile = chooser.getResult().getFullPathName().toStdString();
                try {
                    session_->startRecording(options_.recordFile);
                } catch (const std::exception& error) {
                    record_.setToggleState(false, juce::dontSendNotification);
                    showError(error.what());
                }
            });
    } catch (const std::exception& error) {
        showError(error.what());
    }
}

void SensorMainComponent::saveLog() {
    if (!session_) return;
    chooser_ = std::make_unique<juce::FileChooser>("Save the detections", juce::File(), "*.csv");
    chooser_->launchAsync(
        juce::FileBrowserComponent::saveMode | juce::FileBrowserComponent::warnAboutOverwriting,
        [this](const juce::FileChooser& chooser) {
            if (chooser.getResult() == juce::File() || !session_) return;
            try {
                writeDetectionCsv(chooser.getResult().getFullPathName().toStdString(),
                                  session_->detections(), model_->info().sampleRate);
            } catch (const std::exception& error) {
                showError(error.what());
            }
        });
}

bool SensorMainComponent::isInterestedInFileDrag(const juce::StringArray& files) {
    return files.size() == 1 &&
           (files[0].endsWithIgnoreCase(".json") || files[0].endsWithIgnoreCase(".csv"));
}

void SensorMainComponent::filesDropped(const juce::StringArray& files, int, int) {
    if (files.isEmpty()) return;
    if (files[0].endsWithIgnoreCase(".csv")) {
        options_.replayFile = files[0].toStdString();
        options_.input = InputKind::Replay;
        input_.setSelectedId(3, juce::dontSendNotification);
        restart();
    } else {
        loadModel(files[0].toStdString());
    }
}

void SensorMainComponent::timerCallback() {
    refresh();
    takeScreenshotWhenDone();
}

void SensorMainComponent::refresh() {
    if (!session_) return;
    const auto& names = model_->info().outputNames;
    float lastScores[maxValues]{};
    bool any = false;
    for (const FrameReport& report : session_->takeReports()) {
        inputsPlot_.push(report.inputs);
        scoresPlot_.push(report.scores);
        std::copy(report.scores, report.scores + names.size(), lastScores);
        any = true;
    }
    for (const LoggedEvent& logged : session_->takeEvents()) {
        const DetectionEvent& e = logged.event;
        const auto c = static_cast<std::size_t>(e.classIndex);
        active_[c] = e.edge == DetectionEdge::Onset;
        const double rate = model_->info().sampleRate;
        const juce::String line =
            e.edge == DetectionEdge::Onset
                ? juce::String::formatted("%8.2f s  %-10s on   p=%.2f  %.2f ms",
                                          static_cast<double>(e.onsetFrame) / rate,
                                          names[c].c_str(), static_cast<double>(e.peakProbability),
                                          logged.latencyMs)
                : juce::String::formatted("%8.2f s  %-10s off  peak=%.2f  %.2f s long",
                                          static_cast<double>(e.offsetFrame) / rate,
                                          names[c].c_str(), static_cast<double>(e.peakProbability),
                                          static_cast<double>(e.offsetFrame - e.onsetFrame) / rate);
        log_.moveCaretToEnd();
        log_.insertTextAtCaret(line + "\n");
    }
    if (log_.getText().length() > 20000)
        log_.setText(log_.getText().getLastCharacters(10000), false);
    // The detection shown large: an active class, else (dimmed) the background class while
    // it leads.
    if (any) std::copy(lastScores, lastScores + names.size(), shownScores_.begin());
    juce::String shown = "-";
    juce::Colour colour = dimText;
    for (std::size_t c = 0; c < levels_.size(); ++c)
        if (levels_[c].background &&
            shownScores_[c] >= *std::max_element(shownScores_.begin(), shownScores_.end()))
            shown = names[c];
    for (std::size_t c = 0; c < active_.size(); ++c)
        if (active_[c]) {
            shown = names[c];
            colour = seriesColour(static_cast<int>(c));
        }
    detection_.setText(shown, juce::dontSendNotification);
    detection_.setColour(juce::Label::textColourId, colour);
    for (std::size_t c = 0; c < rows_.size(); ++c)
        if (any) rows_[c]->setScore(lastScores[c], active_[c]);
    if (any) {
        inputsPlot_.repaint();
        scoresPlot_.repaint();
    }

    const SessionStats stats = session_->stats();
    const double now = juce::Time::getMillisecondCounterHiRes() / 1000.0;
    if (now - lastStatsTime_ >= 0.5) {
        framesPerSecond_ =
            lastStatsTime_ > 0.0
                ? static_cast<double>(stats.framesProcessed - lastFrames_) / (now - lastStatsTime_)
                : 0.0;
        lastFrames_ = stats.framesProcessed;
        lastStatsTime_ = now;
    }
    juce::String line =
        juce::String(session_->source().description()) + "  |  " +
        juce::String(framesPerSecond_, 1) + " frames/s, " + juce::String(stats.framesProcessed) +
        " frames, " + juce::String(stats.framesDropped) + " dropped  |  latency " +
        juce::String(stats.latencyMedianMs, 2) + " ms median, " +
        juce::String(stats.latencyP99Ms, 2) + " ms p99  |  " + session_->outputDescription();
    if (stats.sendFailures > 0)
        line += "  |  " + juce::String(stats.sendFailures) + " OSC sends failed";
    if (stats.reportsDropped + stats.eventsDropped > 0)
        line +=
            "  |  " + juce::String(stats.reportsDropped + stats.eventsDropped) + " reports lost";
    if (stats.sourceFinished) line += "  |  replay finished";
    status_.setText(line, juce::dontSendNotification);
    if (auto* replay = dynamic_cast<CsvReplaySource*>(&session_->source());
        replay && !replay->error().empty())
        showError(replay->error());
    if (!stats.error.empty()) showError(stats.error);
}

void SensorMainComponent::takeScreenshotWhenDone() {
    if (screenshotCountdown_ < 0 || !session_) return;
    const SessionStats stats = session_->stats();
    if (!(stats.sourceFinished && stats.framesProcessed == stats.framesReceived)) return;
    if (++screenshotCountdown_ < 5) return;  // a few refreshes so every frame is drawn
    screenshotCountdown_ = -1;
    refresh();
    const juce::Image image = createComponentSnapshot(getLocalBounds());
    const juce::File file =
        juce::File::getCurrentWorkingDirectory().getChildFile(options_.screenshot);
    file.getParentDirectory().createDirectory();
    file.deleteFile();
    juce::FileOutputStream stream(file);
    if (!stream.openedOk() || !juce::PNGImageFormat().writeImageToStream(image, stream))
        showError("cannot write " + file.getFullPathName());
    if (onScreenshotTaken) onScreenshotTaken();
}

void SensorMainComponent::paint(juce::Graphics& g) { g.fillAll(background); }

void SensorMainComponent::resized() {
    auto area = getLocalBounds().reduced(12);
    auto top = area.removeFromTop(30);
    title_.setBounds(top.removeFromLeft(220));
    loadModel_.setBounds(top.removeFromRight(130));
    top.removeFromRight(8);
    modelName_.setBounds(top.removeFromLeft(300));
    modelDetails_.setBounds(top);
    area.removeFromTop(6);
    auto controls = area.removeFromTop(28);
    input_.setBounds(controls.removeFromLeft(140));
    controls.removeFromLeft(8);
    port_.setBounds(controls.removeFromLeft(70));
    controls.removeFromLeft(8);
    address_.setBounds(controls.removeFromLeft(150));
    controls.removeFromLeft(8);
    chooseReplay_.setBounds(controls.removeFromLeft(120));
    controls.removeFromLeft(8);
    fast_.setBounds(controls.removeFromLeft(170));
    apply_.setBounds(controls.removeFromLeft(80));
    saveLog_.setBounds(controls.removeFromRight(110));
    controls.removeFromRight(8);
    record_.setBounds(controls.removeFromRight(130));
    area.removeFromTop(4);
    error_.setBounds(area.removeFromTop(20));
    status_.setBounds(area.removeFromBottom(22));
    auto right = area.removeFromRight(330);
    area.removeFromRight(10);
    log_.setBounds(area.removeFromBottom(130));
    area.removeFromBottom(8);
    const int plotHeight = (area.getHeight() - 8) / 2;
    inputsPlot_.setBounds(area.removeFromTop(plotHeight));
    area.removeFromTop(8);
    scoresPlot_.setBounds(area);
    detection_.setBounds(right.removeFromTop(90));
    for (auto& row : rows_) row->setBounds(right.removeFromTop(56));
}

}  // namespace gs::sensor
