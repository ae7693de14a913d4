// The built GruStreamSensor, headless, end to end over real UDP on localhost: the demo
// gestures go in as Wekinator-style OSC frames at 100 Hz; the events that come back over OSC
// must match `grustream detect` on the same frames. Then again under a flood of malformed
// packets, which must be dropped and counted while detection carries on.

#include "gesture_frames.h"
#include "headless_app.h"
#include "integration/cli_helpers.h"
#include "udp_socket.h"

#include "tools/sensor_io/frame_csv.h"
#include "tools/sensor_io/osc_codec.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

namespace gs {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct Detection {
    std::string className;
    std::int64_t onsetFrame = 0;
    std::int64_t offsetFrame = 0;
};

// What `grustream detect` finds in the demo gestures.
std::vector<Detection> commandLineDetections() {
    const fs::path events =
        fs::temp_directory_path() / ("gs_detect_" + std::to_string(::getpid()) + ".csv");
    const auto run = test::runGrustream("detect " + test::shellArg(test::defaultDetector) + " " +
                                        test::shellArg(test::demoGestures) + " --events " +
                                        test::shellArg(events));
    EXPECT_EQ(run.exitCode, 0) << run.output;
    std::ifstream stream(events);
    std::string line;
    std::getline(stream, line);  // header
    std::vector<Detection> detections;
    while (std::getline(stream, line)) {
        const auto fields = splitCsvLine(line);
        detections.push_back({fields[0], std::stoll(fields[4]), std::stoll(fields[5])});
    }
    fs::remove(events);
    return detections;
}

// Collects /grustream/event and /grustream/event_end messages on its own thread.
class EventCollector {
public:
    EventCollector()
        : thread_([this] {
              while (!stop_)
                  if (auto packet = socket_.receive(50))
                      for (auto& message : decodeOscMessages(packet->data(), packet->size())) {
                          const std::lock_guard lock(mutex_);
                          messages_.push_back(std::move(message));
                      }
          }) {}
    ~EventCollector() {
        stop_ = true;
        thread_.join();
    }
    int port() const { return socket_.port(); }

    // Onsets paired with their offsets, in onset order.
    std::vector<Detection> detections() {
        const std::lock_guard lock(mutex_);
        std::vector<Detection> out;
        for (const auto& m : messages_) {
            if (m.address == "/grustream/event")
                out.push_back({m.arguments.at(0).text,
                               static_cast<std::int64_t>(m.arguments.at(2).number), -1});
            if (m.address == "/grustream/event_end")
                for (auto& d : out)
                    if (d.className == m.arguments.at(0).text &&
                        d.onsetFrame == static_cast<std::int64_t>(m.arguments.at(2).number))
                        d.offsetFrame = static_cast<std::int64_t>(m.arguments.at(3).number);
        }
        return out;
    }

private:
    test::UdpSocket socket_;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::vector<OscMessage> messages_;
    std::thread thread_;
};

std::vector<std::vector<std::uint8_t>> gesturePackets() {
    const auto model = loadModelFile(test::defaultDetector);
    std::vector<std::vector<std::uint8_t>> packets;
    for (const auto& frame : test::readGestureFrames(*model)) {
        OscMessageWriter message("/wek/inputs");
        for (float v : frame) message.addFloat(v);
        packets.push_back(message.bytes());
    }
    return packets;
}

// Sends the frames at 100 Hz, like a sensor would.
void sendAtFrameRate(const test::UdpSocket& socket, int port,
                     const std::vector<std::vector<std::uint8_t>>& packets) {
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < packets.size(); ++i) {
        std::this_thread::sleep_until(start + i * 10ms);
        socket.send(port, packets[i]);
    }
}

void expectSameDetections(const std::vector<Detection>& found,
                          const std::vector<Detection>& expected) {
    ASSERT_EQ(found.size(), expected.size());
    for (std::size_t i = 0; i < found.size(); ++i) {
        EXPECT_EQ(found[i].className, expected[i].className) << i;
        EXPECT_LE(std::abs(found[i].onsetFrame - expected[i].onsetFrame), 1) << i;
        EXPECT_LE(std::abs(found[i].offsetFrame - expected[i].offsetFrame), 1) << i;
    }
}

TEST(SensorAppOverUdp, EventsMatchTheCommandLine) {
    const auto expected = commandLineDetections();
    ASSERT_GE(expected.size(), 4u);
    EventCollector collector;
    test::HeadlessApp app({"--osc-port", "0", "--send-port", std::to_string(collector.port())});
    const int port = app.waitForPort();
    ASSERT_GT(port, 0) << app.output();
    test::UdpSocket sender;
    sendAtFrameRate(sender, port, gesturePackets());
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(app.stop(), 0) << app.output();
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(app.stat("frames_processed"), 1000) << app.output();
    EXPECT_EQ(app.stat("dropped"), 0);
    expectSameDetections(collector.detections(), expected);
}

// Bad packets of every kind; returns how many should count as dropped (other-address
// messages are ignored, not dropped).
struct Flood {
    long long sent = 0;
    long long droppable = 0;
};

Flood floodWithJunk(const test::UdpSocket& socket, int port, std::chrono::seconds length,
                    int packetsPerSecond) {
    std::vector<std::vector<std::uint8_t>> junk;
    junk.push_back(OscMessageWriter("/wek/inputs")
                       .addFloat(1)
                       .addString("six")
                       .addFloat(3)
                       .addFloat(4)
                       .addFloat(5)
                       .addFloat(6)
                       .bytes());
    junk.push_back(OscMessageWriter("/wek/inputs")
                       .addFloat(1)
                       .addFloat(2)
                       .addFloat(3)
                       .addFloat(4)
                       .addFloat(5)
                       .bytes());
    auto truncated = OscMessageWriter("/wek/inputs")
                         .addFloat(1)
                         .addFloat(2)
                         .addFloat(3)
                         .addFloat(4)
                         .addFloat(5)
                         .addFloat(6)
                         .bytes();
    truncated.resize(truncated.size() - 8);
    junk.push_back(truncated);
    junk.push_back({0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03, 0xff, 0xfe, 0xfd, 0xfc});
    junk.push_back(
        {'#', 'b', 'u', 'n', 'd', 'l', 'e', 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 0xff, 0xff, 0xf0});
    junk.push_back({'/', 'w', 'e', 'k'});                                    // no terminating NUL
    junk.push_back(OscMessageWriter("/other/address").addFloat(1).bytes());  // ignored, not dropped
    Flood flood;
    const auto start = std::chrono::steady_clock::now();
    const int perMillisecond = packetsPerSecond / 1000;
    for (int ms = 0; std::chrono::steady_clock::now() - start < length; ++ms) {
        std::this_thread::sleep_until(start + ms * 1ms);
        for (int i = 0; i < perMillisecond; ++i) {
            const auto which =
                static_cast<std::size_t>(flood.sent % static_cast<long long>(junk.size()));
            socket.send(port, junk[which]);
            ++flood.sent;
            if (which + 1 != junk.size()) ++flood.droppable;
        }
    }
    return flood;
}

TEST(SensorAppOverUdp, SurvivesMalformedPacketsAndAFloodAndKeepsDetecting) {
    const auto expected = commandLineDetections();
    EventCollector collector;
    test::HeadlessApp app({"--osc-port", "0", "--send-port", std::to_string(collector.port())});
    const int port = app.waitForPort();
    ASSERT_GT(port, 0) << app.output();
    test::UdpSocket sender, flooder;
    Flood flood;
    std::thread floodThread([&] {
        std::this_thread::sleep_for(2500ms);  // from the first gesture to past the tap
        flood = floodWithJunk(flooder, port, 5s, 10000);
    });
    sendAtFrameRate(sender, port, gesturePackets());
    floodThread.join();
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(app.stop(), 0) << app.output();
    std::printf(
        "flood: %lld packets sent, %lld droppable; app counted dropped=%lld other_address=%lld\n",
        flood.sent, flood.droppable, app.stat("dropped"), app.stat("other_address"));
    EXPECT_GE(flood.sent, 45000);  // ~10 000 packets/s for 5 s
    EXPECT_EQ(app.stat("frames_processed"), 1000) << "a valid frame was lost in the flood";
    // Every bad packet counted (the kernel may lose a few of the flood itself under load).
    EXPECT_LE(app.stat("dropped"), flood.droppable);
    EXPECT_GE(app.stat("dropped"), flood.droppable * 95 / 100);
    expectSameDetections(collector.detections(), expected);
}

TEST(SensorAppOverUdp, RefusesABusyPortWithAMessage) {
    test::UdpSocket busy;
    test::HeadlessApp app({"--osc-port", std::to_string(busy.port())});
    for (int i = 0; i < 300 && app.output().find("cannot listen") == std::string::npos; ++i)
        std::this_thread::sleep_for(10ms);
    EXPECT_NE(app.output().find("cannot listen for OSC on UDP port " + std::to_string(busy.port())),
              std::string::npos)
        << app.output();
}

}  // namespace
}  // namespace gs
