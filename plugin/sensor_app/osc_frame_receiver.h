#pragma once
// Frames from OSC over UDP (JUCE's DatagramSocket for the socket, our decodeOscFrames for
// the bytes). Its thread waits on the socket, decodes each packet into a stack buffer and
// pushes the frames; anything else in the packet is counted, never fatal.

#include "frame_source.h"
#include "sensor_frames.h"

#include <juce_core/juce_core.h>

#include <atomic>
#include <memory>

namespace gs::sensor {

class OscFrameReceiver final : public FrameSource, private juce::Thread {
public:
    // port 0 picks a free port (see boundPort()).
    OscFrameReceiver(int port, std::string address, int valuesPerFrame);
    ~OscFrameReceiver() override;

    void start(FrameSink& sink) override;
    void stop() override;
    std::string description() const override;

    int boundPort() const noexcept { return boundPort_.load(); }
    std::int64_t packets() const noexcept { return packets_.load(std::memory_order_relaxed); }
    std::int64_t otherAddressMessages() const noexcept {
        return otherAddress_.load(std::memory_order_relaxed);
    }

private:
    void run() override;

    int port_;
    std::string address_;
    int valuesPerFrame_;
    std::unique_ptr<juce::DatagramSocket> socket_;
    FrameSink* sink_ = nullptr;
    std::atomic<int> boundPort_{-1};
    std::atomic<std::int64_t> packets_{0};
    std::atomic<std::int64_t> otherAddress_{0};
};

}  // namespace gs::sensor
