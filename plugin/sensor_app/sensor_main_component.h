#pragma once
// The sensor app's window: model and input controls on top, live plots of the inputs and the
// class scores, the current detection shown large, a threshold row per class, the event log
// and a status line (frames/s, dropped frames, latency). All on the message thread; it polls
// the session at 30 Hz and never blocks the detection thread.

#include "class_threshold_row.h"
#include "scrolling_plot.h"
#include "sensor_options.h"
#include "sensor_session.h"

#include "../grustream_look_and_feel.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <memory>

namespace gs::sensor {

class SensorMainComponent final : public juce::Component,
                                  private juce::Timer,
                                  public juce::FileDragAndDropTarget {
public:
    static constexpr int defaultWidth = 1100;
    static constexpr int defaultHeight = 720;

    explicit SensorMainComponent(SensorOptions options);
    ~SensorMainComponent() override;

    // Loads a model (empty: the default) and restarts; on failure keeps the previous one and
    // shows why.
    void loadModel(const std::string& path);
    // (Re)starts the session with the current options.
    void restart();

    void paint(juce::Graphics& g) override;
    void resized() override;
    bool isInterestedInFileDrag(const juce::StringArray& files) override;
    void filesDropped(const juce::StringArray& files, int x, int y) override;

    // Pulls everything new from the session into the UI (the timer does this at 30 Hz).
    void refresh();
    const SensorSession* session() const noexcept { return session_.get(); }

    std::function<void()> onScreenshotTaken;  // --screenshot: called once the PNG is written

private:
    void timerCallback() override;
    void rebuildClassRows();
    void updateMarkers();
    void applyInputControls();
    void chooseModelFile();
    void chooseReplayFile();
    void toggleRecording();
    void saveLog();
    void showError(const juce::String& message);
    void takeScreenshotWhenDone();

    plugin::GruStreamLookAndFeel lookAndFeel_;
    SensorOptions options_;
    std::shared_ptr<const RecurrentModel> model_;
    std::unique_ptr<SensorSession> session_;
    std::vector<std::unique_ptr<ClassThresholdRow>> rows_;
    std::vector<bool> active_;
    std::vector<ClassDetectionSettings> levels_;  // as the sliders set them
    std::vector<float> shownScores_;              // the latest frame's scores
    std::unique_ptr<juce::FileChooser> chooser_;

    juce::Label title_, modelName_, modelDetails_, detection_, status_, error_;
    juce::TextButton loadModel_{"Load model..."}, chooseReplay_{"Replay file..."}, apply_{"Apply"},
        record_{"Record frames"}, saveLog_{"Save log..."};
    juce::ComboBox input_;
    juce::TextEditor port_, address_;
    juce::ToggleButton fast_{"as fast as possible"};
    juce::TextEditor log_;
    ScrollingPlot inputsPlot_{"INPUTS", 500};
    ScrollingPlot scoresPlot_{"CLASS SCORES", 500};

    std::int64_t lastFrames_ = 0;
    double lastStatsTime_ = 0.0;
    double framesPerSecond_ = 0.0;
    int screenshotCountdown_ = -1;
};

}  // namespace gs::sensor
