#pragma once
// Where the sensor app's frames come from: OSC over UDP, an audio interface, or a CSV replay.
// A source runs on its own thread (or the audio callback) and hands frames to a FrameSink,
// which never blocks it.

#include <atomic>
#include <cstdint>
#include <string>

namespace gs::sensor {

class FrameSink {
public:
    virtual ~FrameSink() = default;
    // Any one source thread: queues one frame of the model's input count. False when the
    // queue is full (the frame is dropped and counted by the sink). Never blocks or allocates.
    virtual bool pushFrame(const float* values, std::int64_t arrivalNanos) noexcept = 0;
    // Any one source thread: a packet or frame that could not be used.
    virtual void countDropped(int frames) noexcept = 0;
    // Source thread: the source has no more frames (end of a replay).
    virtual void sourceFinished() noexcept = 0;
    // Source thread: true when there is room for another frame (a replay as fast as possible
    // waits for room instead of dropping).
    virtual bool hasRoom() const noexcept = 0;
};

class FrameSource {
public:
    virtual ~FrameSource() = default;
    // Starts delivering frames to sink. Throws std::runtime_error with a message a user can
    // act on (port in use, no such file, no audio device).
    virtual void start(FrameSink& sink) = 0;
    // Stops and joins; no call into the sink after it returns.
    virtual void stop() = 0;
    // One line for the status bar: "OSC /wek/inputs on UDP 6448".
    virtual std::string description() const = 0;
};

}  // namespace gs::sensor
