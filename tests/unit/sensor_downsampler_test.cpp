#include "dsp/sensor_downsampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace gs {
namespace {

// Downsamples a tone; returns the output frames of channel 0.
std::vector<float> downsampleTone(double inputRate, double frameRate, double frequency,
                                  double seconds) {
    SensorDownsampler downsampler;
    downsampler.prepare(1, inputRate, frameRate);
    std::vector<float> out;
    const auto samples = static_cast<int>(seconds * inputRate);
    for (int n = 0; n < samples; ++n) {
        const auto x =
            static_cast<float>(std::sin(2.0 * std::numbers::pi * frequency * n / inputRate));
        float frame = 0.0f;
        if (downsampler.push(&x, &frame)) out.push_back(frame);
    }
    return out;
}

double rmsAfter(const std::vector<float>& x, std::size_t skip) {
    double sum = 0.0;
    for (std::size_t i = skip; i < x.size(); ++i) sum += double(x[i]) * x[i];
    return std::sqrt(sum / double(x.size() - skip));
}

TEST(SensorDownsampler, KeepsTheFrameRateAndPassesTheBand) {
    for (const double rate : {44100.0, 48000.0, 96000.0}) {
        const auto out = downsampleTone(rate, 100.0, 10.0, 4.0);
        // Frames leave once the filter has the samples after their centre: 4 s minus latency.
        SensorDownsampler d;
        d.prepare(1, rate, 100.0);
        const auto expected = static_cast<std::size_t>(std::floor(
                                  (4.0 * rate - 1 - d.latencyInputSamples()) / (rate / 100.0))) +
                              1;
        EXPECT_EQ(out.size(), expected) << rate;
        EXPECT_NEAR(rmsAfter(out, 100), std::sqrt(0.5), 0.01) << rate;  // 10 Hz passes
    }
}

TEST(SensorDownsampler, AttenuatesWhatWouldAlias) {
    // 75 Hz at a 100 Hz frame rate would fold onto 25 Hz.
    const auto out = downsampleTone(48000.0, 100.0, 75.0, 4.0);
    const double db = 20.0 * std::log10(rmsAfter(out, 100) / std::sqrt(0.5));
    EXPECT_LT(db, -40.0);
    std::printf("75 Hz tone at 100 Hz frames: %.1f dB\n", db);
}

TEST(SensorDownsampler, IsTransparentAtTheFrameRateAndChecksItsArguments) {
    SensorDownsampler same;
    same.prepare(2, 100.0, 100.0);
    EXPECT_EQ(same.latencyInputSamples(), 0);
    const float in[2]{0.25f, -3.0f};
    float out[2]{};
    ASSERT_TRUE(same.push(in, out));
    EXPECT_EQ(out[0], 0.25f);
    EXPECT_EQ(out[1], -3.0f);
    SensorDownsampler bad;
    EXPECT_THROW(bad.prepare(1, 50.0, 100.0), std::invalid_argument);
    EXPECT_THROW(bad.prepare(0, 48000.0, 100.0), std::invalid_argument);
}

TEST(SensorDownsampler, StatesItsLatency) {
    SensorDownsampler d;
    d.prepare(1, 48000.0, 100.0);
    // 3 zero crossings at a 40 Hz cutoff: 3 / (2 * 40) s.
    EXPECT_NEAR(d.latencySeconds(), 3.0 / 80.0, 1e-4);
    // A stream that starts at a resting level gives that level from the first frame: no
    // start-up step for a detector to mistake for a gesture; unity gain at DC.
    const float one = 1.0f;
    float frame = 0.0f;
    int frames = 0;
    for (int n = 0; n < 48000; ++n)
        if (d.push(&one, &frame)) {
            ++frames;
            EXPECT_NEAR(frame, 1.0f, 1e-4f) << "frame " << frames;
        }
    EXPECT_EQ(frames, 97);  // frame k leaves at sample 480 k + 1800: frames 0..96 within 1 s
}

}  // namespace
}  // namespace gs
