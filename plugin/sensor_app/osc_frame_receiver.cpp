#include "osc_frame_receiver.h"

#include "tools/sensor_io/osc_codec.h"

#include <sys/socket.h>

#include <array>
#include <stdexcept>

namespace gs::sensor {
namespace {

constexpr int maxPacketBytes = 65536;    // the largest UDP payload
constexpr int maxFramesPerPacket = 256;  // a bundle may carry several frames

}  // namespace

OscFrameReceiver::OscFrameReceiver(int port, std::string address, int valuesPerFrame)
    : juce::Thread("GruStream OSC in"), port_(port), address_(std::move(address)),
      valuesPerFrame_(valuesPerFrame) {}

OscFrameReceiver::~OscFrameReceiver() { stop(); }

void OscFrameReceiver::start(FrameSink& sink) {
    if (address_.empty() || address_[0] != '/')
        throw std::runtime_error("the OSC address must start with '/', found \"" + address_ + "\"");
    socket_ = std::make_unique<juce::DatagramSocket>(false);
    if (!socket_->bindToPort(port_))
        throw std::runtime_error(
            "cannot listen for OSC on UDP port " + std::to_string(port_) +
            ": is another program (Wekinator?) using it? Choose another with --osc-port");
    // Room for bursts: a 10 000 packets/s flood must not push out the frames between them.
    const int bufferBytes = 4 << 20;
    ::setsockopt(socket_->getRawSocketHandle(), SOL_SOCKET, SO_RCVBUF, &bufferBytes,
                 sizeof bufferBytes);
    boundPort_ = socket_->getBoundPort();
    sink_ = &sink;
    startThread(juce::Thread::Priority::highest);
}

void OscFrameReceiver::stop() {
    if (!socket_) return;
    signalThreadShouldExit();
    stopThread(5000);
    socket_->shutdown();
    socket_.reset();
}

std::string OscFrameReceiver::description() const {
    return "OSC " + address_ + " (" + std::to_string(valuesPerFrame_) + " values) on UDP port " +
           std::to_string(boundPort_.load());
}

void OscFrameReceiver::run() {
    std::vector<std::uint8_t> packet(maxPacketBytes);
    std::vector<float> frames(static_cast<std::size_t>(maxFramesPerPacket * valuesPerFrame_));
    while (!threadShouldExit()) {
        const int ready = socket_->waitUntilReady(true, 50);
        if (ready < 0) juce::Thread::sleep(10);  // a socket error: do not spin
        if (ready != 1) continue;
        const int size = socket_->read(packet.data(), maxPacketBytes, false);
        if (size <= 0) continue;
        const std::int64_t arrival = nowNanos();
        packets_.fetch_add(1, std::memory_order_relaxed);
        const OscFrameCounts counts =
            decodeOscFrames(packet.data(), static_cast<std::size_t>(size), address_,
                            valuesPerFrame_, frames.data(), maxFramesPerPacket);
        for (int f = 0; f < counts.frames; ++f)
            sink_->pushFrame(frames.data() + static_cast<std::ptrdiff_t>(f) * valuesPerFrame_,
                             arrival);
        if (counts.dropped() > 0) sink_->countDropped(counts.dropped());
        if (counts.otherAddress > 0)
            otherAddress_.fetch_add(counts.otherAddress, std::memory_order_relaxed);
    }
}

}  // namespace gs::sensor
