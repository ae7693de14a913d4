#include "detection_settings.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace gs {
namespace {

double metadataNumber(const ModelInfo& info, const std::string& key, double fallback) {
    const std::string text = info.metadataValue(key);
    if (text.empty()) return fallback;
    std::size_t used = 0;
    double value = 0.0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || !std::isfinite(value))
        throw std::invalid_argument("model metadata \"" + key + "\" should be a number, found \"" +
                                    text + "\"");
    return value;
}

}  // namespace

const char* detectionSettingsProblem(const ClassDetectionSettings& settings) noexcept {
    if (!(settings.onLevel >= 0.0f && settings.onLevel <= 1.0f))
        return "the on level must be between 0 and 1";
    if (!(settings.offLevel >= 0.0f && settings.offLevel <= 1.0f))
        return "the off level must be between 0 and 1";
    if (settings.offLevel > settings.onLevel) return "the off level must not be above the on level";
    if (settings.minDurationFrames < 1) return "the minimum duration must be at least one frame";
    if (settings.refractoryFrames < 0) return "the refractory time must not be negative";
    return "";
}

int millisecondsToFrames(double milliseconds, double frameRate) noexcept {
    const double frames = std::round(milliseconds * frameRate / 1000.0);
    if (!(frames > 0.0)) return 0;
    return frames > 1e9 ? 1000000000 : static_cast<int>(frames);
}

std::vector<ClassDetectionSettings> detectionSettingsFor(const ModelInfo& info, int numClasses) {
    ClassDetectionSettings base;
    base.onLevel = static_cast<float>(metadataNumber(info, "detect_on_level", base.onLevel));
    base.offLevel = static_cast<float>(metadataNumber(info, "detect_off_level", base.offLevel));
    const double rate = info.sampleRate;
    const double defaultMinMs = 1000.0 * base.minDurationFrames / rate;
    const double defaultRefractoryMs = 1000.0 * base.refractoryFrames / rate;
    base.minDurationFrames = std::max(
        1,
        millisecondsToFrames(metadataNumber(info, "detect_min_duration_ms", defaultMinMs), rate));
    base.refractoryFrames = millisecondsToFrames(
        metadataNumber(info, "detect_refractory_ms", defaultRefractoryMs), rate);
    if (const std::string problem = detectionSettingsProblem(base); !problem.empty())
        throw std::invalid_argument("model metadata detection settings: " + problem);

    std::vector<ClassDetectionSettings> settings(static_cast<std::size_t>(numClasses), base);
    const std::string background = info.metadataValue("background_class");
    if (!background.empty()) {
        bool found = false;
        for (std::size_t c = 0; c < settings.size() && c < info.outputNames.size(); ++c)
            if (info.outputNames[c] == background) settings[c].background = found = true;
        if (!found)
            throw std::invalid_argument(R"(model metadata "background_class" names ")" +
                                        background + "\", which is not one of the model's outputs");
    }
    return settings;
}

std::vector<ClassDetectionSettings> detectionSettingsFor(const ModelInfo& info, int numClasses,
                                                         const DetectionOverrides& overrides) {
    auto settings = detectionSettingsFor(info, numClasses);
    const double rate = info.sampleRate;
    bool backgroundFound = false;
    for (std::size_t c = 0; c < settings.size(); ++c) {
        ClassDetectionSettings& s = settings[c];
        if (overrides.onLevel) s.onLevel = *overrides.onLevel;
        if (overrides.offLevel)
            s.offLevel = *overrides.offLevel;
        else if (overrides.onLevel)
            s.offLevel = std::min(s.offLevel, s.onLevel);
        if (overrides.minDurationMs)
            s.minDurationFrames = std::max(1, millisecondsToFrames(*overrides.minDurationMs, rate));
        if (overrides.refractoryMs)
            s.refractoryFrames = millisecondsToFrames(*overrides.refractoryMs, rate);
        if (overrides.background) {
            s.background =
                c < info.outputNames.size() && info.outputNames[c] == *overrides.background;
            backgroundFound = backgroundFound || s.background;
        }
        if (const std::string problem = detectionSettingsProblem(s); !problem.empty())
            throw std::invalid_argument("detection settings: " + problem);
    }
    if (overrides.background && !backgroundFound)
        throw std::invalid_argument("the background class \"" + *overrides.background +
                                    "\" is not one of the model's classes");
    return settings;
}

}  // namespace gs
