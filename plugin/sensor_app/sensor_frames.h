#pragma once
// What the sensor app's threads hand each other, by value through SpscQueues: fixed-size and
// trivially copyable, so no queue operation allocates.
//
//   source thread --SensorFrame--> detection thread --TimedEvent, FrameReport--> sender thread

#include "dsp/detection_event.h"

#include <chrono>
#include <cstdint>

namespace gs::sensor {

// Models with more inputs or classes than this are refused by the app with a message.
constexpr int maxValues = 64;

// Monotonic nanoseconds, the clock every latency in the app is measured with.
inline std::int64_t nowNanos() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

struct SensorFrame {
    std::int64_t arrivalNanos = 0;  // when the frame reached the app
    float values[maxValues]{};
};

struct TimedEvent {
    DetectionEvent event;
    std::int64_t arrivalNanos = 0;  // arrival of the frame that produced the event
};

// One processed frame: the inputs and the class scores, for plots, /grustream/probabilities
// and recording.
struct FrameReport {
    std::int64_t frame = 0;
    std::int64_t arrivalNanos = 0;
    float inputs[maxValues]{};
    float scores[maxValues]{};
};

}  // namespace gs::sensor
