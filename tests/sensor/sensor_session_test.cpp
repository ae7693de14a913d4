// SensorSession in process: a scripted source feeds the demo gestures; the session must find
// exactly what the command-line pipeline finds, send it as OSC, apply threshold changes,
// record what it received, and take frames from an audio callback.

#include "audio_sensor_source.h"
#include "gesture_frames.h"
#include "sensor_options.h"
#include "sensor_session.h"
#include "udp_socket.h"

#include "tools/sensor_io/osc_codec.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <numbers>
#include <thread>

namespace gs::sensor {
namespace {

using namespace std::chrono_literals;

// Pushes the frames from its own thread once released, waiting for room like a fast replay.
class ScriptedSource final : public FrameSource {
public:
    explicit ScriptedSource(std::vector<std::vector<float>> frames) : frames_(std::move(frames)) {}
    ~ScriptedSource() override { stop(); }
    void start(FrameSink& sink) override {
        thread_ = std::thread([this, &sink] {
            while (!released_) std::this_thread::sleep_for(1ms);
            for (const auto& frame : frames_) {
                while (!sink.hasRoom()) std::this_thread::sleep_for(100us);
                sink.pushFrame(frame.data(), nowNanos());
            }
            sink.sourceFinished();
        });
    }
    void stop() override {
        released_ = true;
        if (thread_.joinable()) thread_.join();
    }
    std::string description() const override { return "scripted"; }
    void release() { released_ = true; }

private:
    std::vector<std::vector<float>> frames_;
    std::atomic<bool> released_{false};
    std::thread thread_;
};

struct Fixture {
    std::shared_ptr<const RecurrentModel> model = loadModelFile(test::defaultDetector);
    std::vector<std::vector<float>> frames = test::readGestureFrames(*model);
};

void waitUntilDone(const SensorSession& session) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
        const SessionStats stats = session.stats();
        if (stats.sourceFinished && stats.framesProcessed == stats.framesReceived) return;
        std::this_thread::sleep_for(5ms);
    }
    FAIL() << "the session did not finish in time";
}

TEST(SensorSession, FindsAndSendsWhatTheCommandLineFinds) {
    Fixture f;
    const auto reference = test::referenceEvents(f.model, f.frames);
    ASSERT_GE(reference.size(), 8u);  // the demo holds four gestures
    test::UdpSocket receiver;
    EventSenderConfig output;
    output.port = receiver.port();
    auto source = std::make_unique<ScriptedSource>(f.frames);
    auto* scripted = source.get();
    SensorSession session(f.model, detectionSettingsFor(f.model->info(), f.model->outputSize()),
                          std::move(source), output);
    session.start();
    scripted->release();
    waitUntilDone(session);
    session.stop();

    const SessionStats stats = session.stats();
    EXPECT_EQ(stats.framesProcessed, static_cast<std::int64_t>(f.frames.size()));
    EXPECT_EQ(stats.framesDropped, 0);
    EXPECT_EQ(stats.eventsSent, static_cast<std::int64_t>(reference.size()));
    const auto detections = session.detections();
    std::vector<DetectionEvent> offsets;
    for (const auto& e : reference)
        if (e.edge == DetectionEdge::Offset) offsets.push_back(e);
    ASSERT_EQ(detections.size(), offsets.size());
    for (std::size_t i = 0; i < offsets.size(); ++i) {
        EXPECT_EQ(detections[i].className,
                  f.model->info().outputNames[static_cast<std::size_t>(offsets[i].classIndex)]);
        EXPECT_EQ(detections[i].onsetFrame, offsets[i].onsetFrame);
        EXPECT_EQ(detections[i].offsetFrame, offsets[i].offsetFrame);
    }

    // The OSC that went out: one /grustream/event per onset, in order.
    std::vector<OscMessage> onsets;
    while (auto packet = receiver.receive(200))
        for (auto& message : decodeOscMessages(packet->data(), packet->size()))
            if (message.address == "/grustream/event") onsets.push_back(message);
    ASSERT_EQ(onsets.size(), offsets.size());
    for (std::size_t i = 0; i < onsets.size(); ++i) {
        ASSERT_EQ(onsets[i].arguments.size(), 4u);
        EXPECT_EQ(onsets[i].arguments[0].text, detections[i].className);
        EXPECT_GE(onsets[i].arguments[1].number, 0.6);
        EXPECT_EQ(onsets[i].arguments[2].number, static_cast<double>(detections[i].onsetFrame));
    }
}

TEST(SensorSession, ThresholdChangesReachTheDetector) {
    Fixture f;
    auto source = std::make_unique<ScriptedSource>(f.frames);
    auto* scripted = source.get();
    EventSenderConfig noOutput;
    noOutput.port = 0;
    auto settings = detectionSettingsFor(f.model->info(), f.model->outputSize());
    SensorSession session(f.model, settings, std::move(source), noOutput);
    session.start();
    const auto& names = f.model->info().outputNames;
    const int shake =
        static_cast<int>(std::find(names.begin(), names.end(), "shake") - names.begin());
    ClassDetectionSettings silenced = settings[static_cast<std::size_t>(shake)];
    silenced.background = true;
    EXPECT_FALSE(session.setClassSettings(shake, {0.2f, 0.5f}));  // off above on: refused
    ASSERT_TRUE(session.setClassSettings(shake, silenced));
    scripted->release();
    waitUntilDone(session);
    session.stop();
    const auto detections = session.detections();
    EXPECT_FALSE(detections.empty());
    for (const auto& d : detections) EXPECT_NE(d.className, "shake");
}

TEST(SensorSession, RecordsTheFramesItReceives) {
    Fixture f;
    const auto path = std::filesystem::temp_directory_path() /
                      ("gs_record_" + std::to_string(::getpid()) + ".csv");
    auto source = std::make_unique<ScriptedSource>(f.frames);
    auto* scripted = source.get();
    EventSenderConfig noOutput;
    noOutput.port = 0;
    SensorSession session(f.model, detectionSettingsFor(f.model->info(), f.model->outputSize()),
                          std::move(source), noOutput);
    session.start();
    session.startRecording(path);
    EXPECT_TRUE(session.isRecording());
    scripted->release();
    waitUntilDone(session);
    session.stop();
    EXPECT_FALSE(session.isRecording());
    EXPECT_EQ(test::readGestureFrames(*f.model).size(), f.frames.size());
    FrameCsvReader reader(path, f.model->info().inputNames);
    std::vector<float> frame(6);
    std::size_t i = 0;
    for (; reader.next(frame.data()); ++i) ASSERT_EQ(frame, f.frames[i]) << "frame " << i;
    EXPECT_EQ(i, f.frames.size());
    std::filesystem::remove(path);
}

// Collects frames as a sink, for driving a source directly.
class CollectingSink final : public FrameSink {
public:
    explicit CollectingSink(int width) : width_(width) {}
    bool pushFrame(const float* values, std::int64_t) noexcept override {
        frames.emplace_back(values, values + width_);
        return true;
    }
    void countDropped(int) noexcept override {}
    void sourceFinished() noexcept override {}
    bool hasRoom() const noexcept override { return true; }
    std::vector<std::vector<float>> frames;

private:
    int width_;
};

TEST(AudioSensorSource, AnAudioInterfaceStreamGivesTheSameGestures) {
    Fixture f;
    // The 100 Hz frames as 48 kHz audio (linear interpolation), cut into 256-sample callbacks.
    constexpr int ratio = 480;
    std::vector<std::vector<float>> channels(6, std::vector<float>(f.frames.size() * ratio));
    for (std::size_t k = 0; k + 1 < f.frames.size(); ++k)
        for (int j = 0; j < ratio; ++j)
            for (std::size_t c = 0; c < 6; ++c)
                channels[c][k * ratio + static_cast<std::size_t>(j)] =
                    f.frames[k][c] +
                    (f.frames[k + 1][c] - f.frames[k][c]) * static_cast<float>(j) / ratio;
    AudioSensorSource source("", 6, 100.0);
    CollectingSink sink(6);
    source.setSink(sink);
    source.prepare(48000.0);
    const juce::AudioIODeviceCallbackContext context{};
    for (std::size_t start = 0; start < channels[0].size(); start += 256) {
        const int n = static_cast<int>(std::min<std::size_t>(256, channels[0].size() - start));
        const float* inputs[6];
        for (std::size_t c = 0; c < 6; ++c) inputs[c] = channels[c].data() + start;
        source.audioDeviceIOCallbackWithContext(inputs, 6, nullptr, 0, n, context);
    }
    EXPECT_NEAR(static_cast<double>(sink.frames.size()), static_cast<double>(f.frames.size()), 6.0);
    const auto expected = test::referenceEvents(f.model, f.frames);
    const auto found = test::referenceEvents(f.model, sink.frames);
    ASSERT_EQ(found.size(), expected.size());
    for (std::size_t i = 0; i < found.size(); ++i) {
        EXPECT_EQ(found[i].classIndex, expected[i].classIndex);
        EXPECT_NEAR(static_cast<double>(found[i].onsetFrame),
                    static_cast<double>(expected[i].onsetFrame), 2.0);
    }
}

TEST(SensorOptions, ParseFlagsAndRefuseNonsense) {
    const auto defaults = parseSensorOptions({});
    EXPECT_FALSE(defaults.exitCode);
    EXPECT_EQ(defaults.options.oscPort, 6448);
    EXPECT_EQ(defaults.options.oscAddress, "/wek/inputs");
    EXPECT_EQ(defaults.options.output.port, 12000);
    EXPECT_EQ(defaults.options.output.host, "127.0.0.1");
    const auto replay =
        parseSensorOptions({"--replay", "x.csv", "--fast", "--on", "0.8", "--headless"});
    EXPECT_EQ(replay.options.input, InputKind::Replay);
    EXPECT_TRUE(replay.options.replayFast && replay.options.headless);
    EXPECT_FLOAT_EQ(*replay.options.detection.onLevel, 0.8f);
    EXPECT_EQ(parseSensorOptions({"--osc-port", "70000"}).exitCode, 2);
    EXPECT_EQ(parseSensorOptions({"--input", "replay"}).exitCode, 2);
    EXPECT_EQ(parseSensorOptions({"--midi-output", "a", "--midi-virtual", "b"}).exitCode, 2);
    EXPECT_EQ(parseSensorOptions({"--help"}).exitCode, 0);
}

}  // namespace
}  // namespace gs::sensor

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    const juce::ScopedJuceInitialiser_GUI juce;
    return RUN_ALL_TESTS();
}
