// Detection latency of the sensor app over localhost UDP (a benchmark, not a test):
//   build/tests/sensor/sensor_latency_bench [frames=10000] [rate_hz=100]
// Sends the demo gestures (looped) as OSC frames to the headless app with --probabilities,
// and times each frame from the moment it is sent to the moment its /grustream/probabilities
// message arrives back: network in, queue, GRU, queue, network out. Event onsets travel the
// same path; the app's own arrival-to-sent latency for them is printed too.

#include "gesture_frames.h"
#include "headless_app.h"
#include "udp_socket.h"

#include "tools/sensor_io/osc_codec.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <thread>

namespace {

int run(int argc, char** argv) {
    using namespace gs;
    using clock = std::chrono::steady_clock;
    const int frames = argc > 1 ? std::atoi(argv[1]) : 10000;
    const double rate = argc > 2 ? std::atof(argv[2]) : 100.0;
    const auto model = loadModelFile(test::defaultDetector);
    const auto gestures = test::readGestureFrames(*model);

    test::UdpSocket receiver, sender;
    test::HeadlessApp app(
        {"--osc-port", "0", "--send-port", std::to_string(receiver.port()), "--probabilities"});
    const int port = app.waitForPort();
    if (port < 0) {
        std::fprintf(stderr, "the app did not start:\n%s\n", app.output().c_str());
        return 1;
    }
    std::vector<clock::time_point> sent(static_cast<std::size_t>(frames));
    std::vector<double> latencyMs(static_cast<std::size_t>(frames), -1.0);
    std::atomic<bool> done{false};
    std::thread listen([&] {
        while (!done)
            if (auto packet = receiver.receive(50)) {
                const auto now = clock::now();
                for (const auto& message : decodeOscMessages(packet->data(), packet->size()))
                    if (message.address == "/grustream/probabilities") {
                        const auto index = static_cast<std::size_t>(message.arguments.at(0).number);
                        if (index < sent.size())
                            latencyMs[index] =
                                std::chrono::duration<double, std::milli>(now - sent[index])
                                    .count();
                    }
            }
    });
    const auto start = clock::now();
    for (int i = 0; i < frames; ++i) {
        std::this_thread::sleep_until(start + std::chrono::duration_cast<clock::duration>(
                                                  std::chrono::duration<double>(i / rate)));
        OscMessageWriter message("/wek/inputs");
        for (float v : gestures[static_cast<std::size_t>(i) % gestures.size()]) message.addFloat(v);
        const auto bytes = message.bytes();
        sent[static_cast<std::size_t>(i)] = clock::now();
        sender.send(port, bytes);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    done = true;
    listen.join();
    app.stop();

    std::vector<double> measured;
    for (double l : latencyMs)
        if (l >= 0.0) measured.push_back(l);
    std::sort(measured.begin(), measured.end());
    auto at = [&](double q) {
        return measured.empty()
                   ? 0.0
                   : measured[static_cast<std::size_t>(q * double(measured.size() - 1))];
    };
    std::printf("frames sent %d at %.0f Hz, answered %zu\n", frames, rate, measured.size());
    std::printf("frame sent -> scores received: median %.3f ms, p99 %.3f ms, max %.3f ms\n",
                at(0.5), at(0.99), measured.empty() ? 0.0 : measured.back());
    std::printf("frame period %.1f ms; target: median under 2 ms + one frame period\n",
                1000.0 / rate);
    const std::string output = app.output();
    const auto stats = output.find("stats ");
    if (stats != std::string::npos) std::printf("app: %s", output.substr(stats).c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "sensor_latency_bench: %s\n", error.what());
        return 1;
    }
}
