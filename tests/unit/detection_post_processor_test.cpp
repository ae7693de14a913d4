#include "dsp/detection_post_processor.h"

#include <gtest/gtest.h>

#include <vector>

namespace gs {
namespace {

// Runs one class's score sequence; returns every event.
std::vector<DetectionEvent> run(const ClassDetectionSettings& settings,
                                const std::vector<float>& scores, bool finish = false) {
    DetectionPostProcessor post;
    post.prepare({settings});
    std::vector<DetectionEvent> out;
    DetectionEvent events[1];
    for (std::size_t i = 0; i < scores.size(); ++i) {
        const int n = post.process(static_cast<std::int64_t>(i), &scores[i], events);
        out.insert(out.end(), events, events + n);
    }
    if (finish) {
        const int n = post.finish(static_cast<std::int64_t>(scores.size()), events);
        out.insert(out.end(), events, events + n);
    }
    return out;
}

ClassDetectionSettings levels(float on, float off, int minDuration = 1, int refractory = 0) {
    ClassDetectionSettings s;
    s.onLevel = on;
    s.offLevel = off;
    s.minDurationFrames = minDuration;
    s.refractoryFrames = refractory;
    return s;
}

TEST(DetectionPostProcessor, HysteresisHoldsADetectionBetweenTheLevels) {
    // Dips to 0.5 stay inside (off 0.4); without hysteresis (off = on) they would split it.
    const std::vector<float> scores{0.1f, 0.7f, 0.5f, 0.8f, 0.5f, 0.3f, 0.1f};
    const auto events = run(levels(0.6f, 0.4f), scores);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].edge, DetectionEdge::Onset);
    EXPECT_EQ(events[0].onsetFrame, 1);
    EXPECT_EQ(events[1].edge, DetectionEdge::Offset);
    EXPECT_EQ(events[1].onsetFrame, 1);
    EXPECT_EQ(events[1].offsetFrame, 5);
    EXPECT_FLOAT_EQ(events[1].peakProbability, 0.8f);

    const auto split = run(levels(0.6f, 0.6f), scores);
    EXPECT_EQ(split.size(), 4u);  // the control: two detections
}

TEST(DetectionPostProcessor, MinimumDurationDropsShortBlipsAndDatesTheOnsetToItsStart) {
    const std::vector<float> blip{0.1f, 0.9f, 0.9f, 0.1f, 0.1f, 0.9f, 0.9f, 0.9f, 0.9f, 0.1f};
    const auto events = run(levels(0.6f, 0.4f, 3), blip);
    ASSERT_EQ(events.size(), 2u);  // the two-frame blip never fires
    EXPECT_EQ(events[0].edge, DetectionEdge::Onset);
    EXPECT_EQ(events[0].onsetFrame, 5);
    EXPECT_EQ(events[0].emitFrame, 7);  // sent once it has lasted three frames
    EXPECT_EQ(events[1].offsetFrame, 9);
    EXPECT_EQ(run(levels(0.6f, 0.4f, 1), blip).size(), 4u);  // control: both fire at 1 frame
}

TEST(DetectionPostProcessor, RefractoryTimeBlocksARestartUntilItEnds) {
    const std::vector<float> scores{0.9f, 0.1f, 0.9f, 0.1f, 0.1f, 0.9f, 0.1f};
    // Off at frame 1 with 3 frames of refractory time: frames 2-3 cannot start, frame 5 can.
    const auto events = run(levels(0.6f, 0.4f, 1, 3), scores);
    ASSERT_EQ(events.size(), 4u);
    EXPECT_EQ(events[0].onsetFrame, 0);
    EXPECT_EQ(events[2].onsetFrame, 5);
    EXPECT_EQ(run(levels(0.6f, 0.4f, 1, 0), scores).size(), 6u);  // control
    // One frame of refractory time blocks exactly the frame after the offset.
    EXPECT_EQ(run(levels(0.6f, 0.4f, 1, 1), {0.9f, 0.1f, 0.9f, 0.9f, 0.1f})[2].onsetFrame, 3);
    EXPECT_EQ(run(levels(0.6f, 0.4f, 1, 0), {0.9f, 0.1f, 0.9f, 0.9f, 0.1f})[2].onsetFrame, 2);
}

TEST(DetectionPostProcessor, BackgroundClassIsNeverReported) {
    ClassDetectionSettings background = levels(0.6f, 0.4f);
    background.background = true;
    EXPECT_TRUE(run(background, {0.9f, 0.9f, 0.9f, 0.1f}, true).empty());
    EXPECT_EQ(run(levels(0.6f, 0.4f), {0.9f, 0.9f, 0.9f, 0.1f}, true).size(), 2u);
}

TEST(DetectionPostProcessor, FinishClosesRunningDetectionsAndNonFiniteScoresCountAsZero) {
    const auto events = run(levels(0.6f, 0.4f), {0.9f, 0.95f}, true);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].edge, DetectionEdge::Offset);
    EXPECT_EQ(events[1].offsetFrame, 2);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const auto broken = run(levels(0.6f, 0.4f), {0.9f, nan, 0.9f});
    ASSERT_EQ(broken.size(), 3u);
    EXPECT_EQ(broken[1].offsetFrame, 1);
}

TEST(DetectionPostProcessor, ClassesAreIndependentAndSettingsCanChangeWhileRunning) {
    DetectionPostProcessor post;
    post.prepare({levels(0.6f, 0.4f), levels(0.6f, 0.4f)});
    DetectionEvent events[2];
    const float both[2]{0.9f, 0.9f};
    EXPECT_EQ(post.process(0, both, events), 2);
    EXPECT_TRUE(post.isActive(0) && post.isActive(1));
    EXPECT_FALSE(post.setClassSettings(0, levels(0.3f, 0.5f)));  // off above on: refused
    EXPECT_FALSE(post.setClassSettings(2, levels(0.6f, 0.4f)));  // no such class
    EXPECT_TRUE(post.setClassSettings(0, levels(0.95f, 0.92f)));
    const float mid[2]{0.9f, 0.9f};
    EXPECT_EQ(post.process(1, mid, events), 1);  // class 0 ends under its new off level
    EXPECT_EQ(events[0].classIndex, 0);
    EXPECT_THROW(post.prepare({levels(0.5f, 0.6f)}), std::invalid_argument);
}

TEST(DetectionSettings, ComeFromTheModelMetadata) {
    ModelInfo info;
    info.sampleRate = 100.0;
    info.outputNames = {"idle", "shake"};
    info.metadata = {{"background_class", "idle"},
                     {"detect_on_level", "0.7"},
                     {"detect_min_duration_ms", "50"},
                     {"detect_refractory_ms", "200"}};
    const auto settings = detectionSettingsFor(info, 2);
    EXPECT_TRUE(settings[0].background);
    EXPECT_FALSE(settings[1].background);
    EXPECT_FLOAT_EQ(settings[1].onLevel, 0.7f);
    EXPECT_EQ(settings[1].minDurationFrames, 5);
    EXPECT_EQ(settings[1].refractoryFrames, 20);

    info.metadata = {{"background_class", "nothing"}};
    EXPECT_THROW(detectionSettingsFor(info, 2), std::invalid_argument);
    info.metadata = {{"detect_on_level", "high"}};
    EXPECT_THROW(detectionSettingsFor(info, 2), std::invalid_argument);
    info.metadata = {{"detect_on_level", "0.3"}, {"detect_off_level", "0.5"}};
    EXPECT_THROW(detectionSettingsFor(info, 2), std::invalid_argument);
}

}  // namespace
}  // namespace gs
