#pragma once
// Turns per-frame class scores into onset / offset events, per class:
//
//   idle     --score >= on, not refractory-->  pending (onset frame remembered)
//   pending  --score <  off-->                 idle    (too short: nothing sent)
//   pending  --lasted minDuration frames-->    active  (Onset sent)
//   active   --score <  off-->                 idle    (Offset sent, refractory starts)
//
// A background class is never pending. Deterministic: the same scores give the same events.
//
// Threads: prepare() allocates (any thread, not concurrently with the rest); everything
// else is for the one thread that feeds scores, and never allocates.

#include "detection_event.h"
#include "detection_settings.h"

#include <cstdint>
#include <vector>

namespace gs {

class DetectionPostProcessor {
public:
    // Throws std::invalid_argument when a setting is unusable (detectionSettingsProblem).
    void prepare(const std::vector<ClassDetectionSettings>& settings);

    int numClasses() const noexcept { return static_cast<int>(classes_.size()); }

    // realtime: one frame of scores (numClasses() values) at frame index `frame`. Writes at
    // most numClasses() events (one edge per class per frame) to `events`; returns how many.
    // A non-finite score counts as 0.
    int process(std::int64_t frame, const float* scores, DetectionEvent* events) noexcept;

    // realtime: ends every running detection at `frame` (end of a stream); returns the
    // Offset events written, at most numClasses().
    int finish(std::int64_t frame, DetectionEvent* events) noexcept;

    // realtime: forgets every detection and refractory period without sending anything.
    void reset() noexcept;

    // realtime: new levels and times for one class, e.g. from a UI threshold slider. A
    // running detection keeps going under the new levels. False (and no change) when the
    // settings are unusable or the class does not exist.
    bool setClassSettings(int classIndex, const ClassDetectionSettings& settings) noexcept;
    const ClassDetectionSettings& classSettings(int classIndex) const noexcept {
        return classes_[static_cast<std::size_t>(classIndex)].settings;
    }

    // realtime: true while the class is active (its Onset sent, its Offset not yet).
    bool isActive(int classIndex) const noexcept {
        return classes_[static_cast<std::size_t>(classIndex)].phase == Phase::Active;
    }

private:
    enum class Phase : std::uint8_t { Idle, Pending, Active };
    struct ClassState {
        ClassDetectionSettings settings;
        Phase phase = Phase::Idle;
        std::int64_t onsetFrame = 0;
        std::int64_t refractoryUntil = 0;  // first frame a new detection may start
        float peak = 0.0f;
    };
    std::vector<ClassState> classes_;
};

}  // namespace gs
