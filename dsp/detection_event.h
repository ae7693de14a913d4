#pragma once
// What a detector reports: a class turning on (onset, once it has lasted the minimum duration)
// and turning off again (offset, carrying the whole detection). Trivially copyable, so it
// crosses threads through an SpscQueue.

#include <cstdint>

namespace gs {

enum class DetectionEdge : std::uint8_t { Onset, Offset };

struct DetectionEvent {
    DetectionEdge edge = DetectionEdge::Onset;
    int classIndex = 0;
    std::int64_t onsetFrame = 0;    // first frame at or above the on level
    std::int64_t offsetFrame = -1;  // first frame below the off level; -1 on an onset
    std::int64_t emitFrame = 0;     // the frame whose arrival produced this event
    float peakProbability = 0.0f;   // highest score so far (onset) or over the detection (offset)
};

}  // namespace gs
