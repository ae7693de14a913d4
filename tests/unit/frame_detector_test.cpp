#include "dsp/frame_detector.h"
#include "test_models.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace gs {
namespace {

std::shared_ptr<RecurrentModel> detectorModel() {
    return test::randomModel(11, 3, 8, 1, 4, 0, Activation::Softmax, ModelTask::Detector, 100.0);
}

struct DetectorRun {
    std::vector<float> scores;
    std::vector<DetectionEvent> events;
};

DetectorRun runFrames(FrameDetector& detector, const std::vector<float>& frames) {
    DetectorRun run;
    std::vector<DetectionEvent> events(4);
    for (std::size_t i = 0; i + 3 <= frames.size(); i += 3) {
        const int n = detector.processFrame(&frames[i], events.data());
        run.events.insert(run.events.end(), events.begin(), events.begin() + n);
        run.scores.insert(run.scores.end(), detector.scores(), detector.scores() + 4);
    }
    return run;
}

std::vector<float> randomFrames(int count) {
    std::mt19937 rng(5);
    std::normal_distribution<float> normal(0.0f, 2.0f);
    std::vector<float> frames(static_cast<std::size_t>(count) * 3);
    for (float& v : frames) v = normal(rng);
    return frames;
}

TEST(FrameDetector, IsDeterministicAndResetStartsOver) {
    auto model = detectorModel();
    ClassDetectionSettings loose;
    loose.onLevel = 0.3f;
    loose.offLevel = 0.2f;
    loose.minDurationFrames = 1;
    FrameDetector a, b;
    a.prepare(model, std::vector<ClassDetectionSettings>(4, loose));
    b.prepare(model, std::vector<ClassDetectionSettings>(4, loose));
    const auto frames = randomFrames(2000);
    const DetectorRun first = runFrames(a, frames);
    const DetectorRun second = runFrames(b, frames);
    EXPECT_EQ(first.scores, second.scores);
    ASSERT_EQ(first.events.size(), second.events.size());
    EXPECT_GT(first.events.size(), 10u);  // the random model does fire
    a.reset();
    EXPECT_EQ(runFrames(a, frames).scores, first.scores);
    EXPECT_EQ(a.framesProcessed(), 2000);

    // The scores are the model's own, frame by frame.
    ModelState state(*model);
    std::vector<float> scores(4);
    model->processFrame(&frames[0], scores.data(), state);
    EXPECT_EQ(std::vector<float>(first.scores.begin(), first.scores.begin() + 4), scores);
}

TEST(FrameDetector, NonFiniteInputIsCountedAndNeverReachesTheScores) {
    FrameDetector detector;
    detector.prepare(detectorModel(), std::vector<ClassDetectionSettings>(4));
    const float bad[3]{std::numeric_limits<float>::quiet_NaN(),
                       std::numeric_limits<float>::infinity(), 1.0f};
    DetectionEvent events[4];
    for (int i = 0; i < 10; ++i) detector.processFrame(bad, events);
    EXPECT_EQ(detector.nonFiniteValues(), 20);
    for (int c = 0; c < 4; ++c) EXPECT_TRUE(std::isfinite(detector.scores()[c]));
    EXPECT_THROW(detector.prepare(detectorModel(), std::vector<ClassDetectionSettings>(3)),
                 std::invalid_argument);
}

}  // namespace
}  // namespace gs
