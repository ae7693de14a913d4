// The detection path is real-time code too (the sensor app's detection thread and audio
// callback): FrameDetector::processFrame, finish, reset, settings changes and
// SensorDownsampler::push must never allocate, free or lock.

#include "audio_thread_audit.h"
#include "dsp/frame_detector.h"
#include "dsp/sensor_downsampler.h"
#include "test_models.h"

#include <gtest/gtest.h>

#include <random>

namespace gs {
namespace {

TEST(RealtimeSafety, DetectionAndDownsamplingNeverAllocateOrLock) {
    auto model =
        test::randomModel(3, 6, 24, 2, 4, 0, Activation::Softmax, ModelTask::Detector, 100.0);
    FrameDetector detector;
    ClassDetectionSettings loose;
    loose.onLevel = 0.3f;
    loose.offLevel = 0.2f;
    loose.minDurationFrames = 1;
    detector.prepare(model, std::vector<ClassDetectionSettings>(4, loose));
    SensorDownsampler downsampler;
    downsampler.prepare(6, 48000.0, 100.0);
    std::mt19937 rng(1);
    std::normal_distribution<float> normal(0.0f, 2.0f);
    std::vector<float> sample(6), frame(6);
    DetectionEvent events[4];
    int eventCount = 0, frames = 0;
    test::AuditCounts counts;
    {
        const test::AudioThreadAudit audit;
        for (int n = 0; n < 48000 * 3; ++n) {
            for (float& v : sample) v = normal(rng);
            if (n == 1000) sample[2] = std::numeric_limits<float>::quiet_NaN();
            if (downsampler.push(sample.data(), frame.data())) {
                eventCount += detector.processFrame(frame.data(), events);
                ++frames;
            }
            if (n == 60000) detector.postProcessor().setClassSettings(1, loose);
        }
        eventCount += detector.finish(events);
        detector.reset();
        downsampler.reset();
        counts = audit.counts();
    }
    EXPECT_GT(frames, 290);
    EXPECT_GT(eventCount, 0);  // the path that emits events ran
    EXPECT_EQ(counts.allocations, 0u);
    EXPECT_EQ(counts.frees, 0u);
    EXPECT_EQ(counts.locks, 0u);
}

}  // namespace
}  // namespace gs
