#include "detection_post_processor.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace gs {
namespace {

DetectionEvent onsetEvent(std::size_t c, std::int64_t onsetFrame, std::int64_t frame,
                          float peak) noexcept {
    return {DetectionEdge::Onset, static_cast<int>(c), onsetFrame, -1, frame, peak};
}

// Ends the detection at `frame`, the first frame below the off level (or the end of input).
DetectionEvent offsetEvent(std::size_t c, std::int64_t onsetFrame, std::int64_t frame,
                           float peak) noexcept {
    return {DetectionEdge::Offset, static_cast<int>(c), onsetFrame, frame, frame, peak};
}

}  // namespace

void DetectionPostProcessor::prepare(const std::vector<ClassDetectionSettings>& settings) {
    std::vector<ClassState> classes(settings.size());
    for (std::size_t c = 0; c < settings.size(); ++c) {
        if (const std::string problem = detectionSettingsProblem(settings[c]); !problem.empty())
            throw std::invalid_argument("class " + std::to_string(c) + ": " + problem);
        classes[c].settings = settings[c];
    }
    classes_ = std::move(classes);
}

int DetectionPostProcessor::process(std::int64_t frame, const float* scores,
                                    DetectionEvent* events) noexcept {
    int count = 0;
    for (std::size_t c = 0; c < classes_.size(); ++c) {
        ClassState& state = classes_[c];
        const float score = std::isfinite(scores[c]) ? scores[c] : 0.0f;
        const ClassDetectionSettings& s = state.settings;
        switch (state.phase) {
        case Phase::Idle:
            if (s.background || score < s.onLevel || frame < state.refractoryUntil) break;
            state.phase = Phase::Pending;
            state.onsetFrame = frame;
            state.peak = score;
            [[fallthrough]];  // a one-frame minimum duration fires on this frame
        case Phase::Pending:
            if (score < s.offLevel) {
                state.phase = Phase::Idle;
                break;
            }
            state.peak = std::max(state.peak, score);
            if (frame - state.onsetFrame + 1 >= s.minDurationFrames) {
                state.phase = Phase::Active;
                events[count++] = onsetEvent(c, state.onsetFrame, frame, state.peak);
            }
            break;
        case Phase::Active:
            if (score >= s.offLevel) {
                state.peak = std::max(state.peak, score);
                break;
            }
            state.phase = Phase::Idle;
            state.refractoryUntil = frame + s.refractoryFrames + 1;  // frames after the offset
            events[count++] = offsetEvent(c, state.onsetFrame, frame, state.peak);
            break;
        }
    }
    return count;
}

int DetectionPostProcessor::finish(std::int64_t frame, DetectionEvent* events) noexcept {
    int count = 0;
    for (std::size_t c = 0; c < classes_.size(); ++c) {
        ClassState& state = classes_[c];
        if (state.phase == Phase::Active)
            events[count++] = offsetEvent(c, state.onsetFrame, frame, state.peak);
        state.phase = Phase::Idle;
    }
    return count;
}

void DetectionPostProcessor::reset() noexcept {
    for (ClassState& state : classes_) {
        state.phase = Phase::Idle;
        state.refractoryUntil = 0;
        state.peak = 0.0f;
    }
}

bool DetectionPostProcessor::setClassSettings(int classIndex,
                                              const ClassDetectionSettings& settings) noexcept {
    if (classIndex < 0 || classIndex >= numClasses()) return false;
    if (detectionSettingsProblem(settings)[0] != '\0') return false;
    ClassState& state = classes_[static_cast<std::size_t>(classIndex)];
    state.settings = settings;
    if (settings.background && state.phase == Phase::Pending) state.phase = Phase::Idle;
    return true;
}

}  // namespace gs
