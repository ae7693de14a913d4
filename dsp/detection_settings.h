#pragma once
// How a detector turns per-frame class scores into events, per class. Times are in frames
// of the model's frame rate; the front ends convert from milliseconds.

#include "model/model_info.h"

#include <optional>
#include <string>
#include <vector>

namespace gs {

struct ClassDetectionSettings {
    float onLevel = 0.6f;       // a detection starts when the score reaches this...
    float offLevel = 0.4f;      // ...and ends when it falls below this (hysteresis: off <= on)
    int minDurationFrames = 2;  // frames at or above the off level before the onset is sent
    int refractoryFrames = 10;  // frames after an offset during which the class cannot start
    bool background = false;    // the "nothing happening" class: scored, never fires
};

// Empty when valid, else a sentence saying what is wrong (levels outside [0, 1], off > on,
// negative durations).
const char* detectionSettingsProblem(const ClassDetectionSettings& settings) noexcept;

// One entry per model output. Defaults, overridden by the model's metadata when present:
// "background_class" (a class name), "detect_on_level", "detect_off_level",
// "detect_min_duration_ms", "detect_refractory_ms". Throws std::invalid_argument naming the
// key when a value is unusable or the background class is not one of the outputs.
std::vector<ClassDetectionSettings> detectionSettingsFor(const ModelInfo& info, int numClasses);

// What a user may override for every class at once (command-line flags).
struct DetectionOverrides {
    std::optional<float> onLevel;  // off follows it down when only on is given
    std::optional<float> offLevel;
    std::optional<double> minDurationMs;
    std::optional<double> refractoryMs;
    std::optional<std::string> background;  // a class name
};

// detectionSettingsFor(), then the overrides. Throws std::invalid_argument with a sentence
// when the result is unusable or the background names no class.
std::vector<ClassDetectionSettings> detectionSettingsFor(const ModelInfo& info, int numClasses,
                                                         const DetectionOverrides& overrides);

int millisecondsToFrames(double milliseconds, double frameRate) noexcept;

}  // namespace gs
