// GruStream Sensor: live pattern detection from sensor streams. A window by default;
// `--headless` runs without one (installations, tests). See sensor_options.h for the flags.

#include "headless_runner.h"
#include "sensor_main_component.h"
#include "sensor_options.h"

#include <juce_gui_extra/juce_gui_extra.h>

#include <iostream>

namespace gs::sensor {

class SensorWindow final : public juce::DocumentWindow {
public:
    explicit SensorWindow(SensorOptions options)
        : DocumentWindow("GruStream Sensor", plugin::palette::background,
                         DocumentWindow::allButtons) {
        setUsingNativeTitleBar(true);
        auto* content = new SensorMainComponent(std::move(options));
        content->onScreenshotTaken = [] {
            juce::JUCEApplication::getInstance()->systemRequestedQuit();
        };
        setContentOwned(content, true);
        setResizable(true, true);
        setResizeLimits(800, 560, 4000, 3000);
        centreWithSize(getWidth(), getHeight());
        setVisible(true);
    }
    void closeButtonPressed() override {
        juce::JUCEApplication::getInstance()->systemRequestedQuit();
    }
};

class SensorApplication final : public juce::JUCEApplication {
public:
    const juce::String getApplicationName() override { return "GruStream Sensor"; }
    const juce::String getApplicationVersion() override { return "0.1.0"; }
    bool moreThanOneInstanceAllowed() override { return true; }

    void initialise(const juce::String&) override {
        std::vector<std::string> arguments;
        for (const auto& argument : getCommandLineParameterArray())
            arguments.push_back(argument.toStdString());
        ParsedOptions parsed = parseSensorOptions(arguments);
        if (parsed.exitCode) {
            (*parsed.exitCode == 0 ? std::cout : std::cerr) << parsed.message << '\n';
            setApplicationReturnValue(*parsed.exitCode);
            quit();
            return;
        }
        window_ = std::make_unique<SensorWindow>(std::move(parsed.options));
    }
    void shutdown() override { window_.reset(); }
    void systemRequestedQuit() override { quit(); }

private:
    std::unique_ptr<SensorWindow> window_;
};

}  // namespace gs::sensor

JUCE_CREATE_APPLICATION_DEFINE(gs::sensor::SensorApplication)

int main(int argc, char* argv[]) {
    // Headless runs on this thread without a message loop or a display.
    for (int i = 1; i < argc; ++i)
        if (std::string_view(argv[i]) == "--headless") {
            std::vector<std::string> arguments(argv + 1, argv + argc);
            const gs::sensor::ParsedOptions parsed = gs::sensor::parseSensorOptions(arguments);
            if (parsed.exitCode) {
                (*parsed.exitCode == 0 ? std::cout : std::cerr) << parsed.message << '\n';
                return *parsed.exitCode;
            }
            const juce::ScopedJuceInitialiser_GUI juce;
            return gs::sensor::runHeadless(parsed.options);
        }
    juce::JUCEApplicationBase::createInstance = &juce_CreateApplication;
    return juce::JUCEApplicationBase::main(argc, const_cast<const char**>(argv));
}
