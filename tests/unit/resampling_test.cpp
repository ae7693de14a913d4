// The engine's resampler: exact integer latency, passband accuracy, alias rejection.
// (Partition invariance with resampling is in stream_engine_test.)

#include "dsp/resampling_model_stream.h"
#include "dsp/stream_engine.h"
#include "engine_helpers.h"
#include "test_models.h"

#include <gtest/gtest.h>

namespace gs {
namespace {

using test::Signal;

Signal throughIdentity(double hostRate, const Signal& input, int& latency) {
    StreamEngine engine;
    engine.setModel(test::identityModel(48000.0));
    engine.prepare(hostRate, 512, 1);
    latency = engine.latencySamples();
    EXPECT_EQ(engine.isResampling(), hostRate != 48000.0);
    return test::runEngine(engine, input, {512});
}

float peakAfter(const Signal& s, std::size_t from) {
    float peak = 0.0f;
    for (std::size_t i = from; i < s.size(); ++i) peak = std::max(peak, std::fabs(s[i]));
    return peak;
}

float alignedError(const Signal& input, const Signal& output, int latency, std::size_t settle) {
    float error = 0.0f;
    for (std::size_t i = settle;
         i + static_cast<std::size_t>(latency) < output.size() && i < input.size(); ++i)
        error =
            std::max(error, std::fabs(output[i + static_cast<std::size_t>(latency)] - input[i]));
    return error;
}

class ResamplerRates : public testing::TestWithParam<double> {};

TEST_P(ResamplerRates, OutputIsTheInputDelayedByExactlyTheReportedLatency) {
    const double hostRate = GetParam();
    const Signal input = test::bandLimited(20000, hostRate, 0.35 * std::min(hostRate, 48000.0));
    int latency = 0;
    const Signal output = throughIdentity(hostRate, input, latency);
    ASSERT_GT(latency, 0);
    EXPECT_EQ(latency, ResamplingModelStream::latencyFor(hostRate, 48000.0));
    const float atLatency = alignedError(input, output, latency, 200);
    std::printf("host %.0f Hz: latency %d samples, max error %.2e\n", hostRate, latency,
                static_cast<double>(atLatency));
    EXPECT_LT(atLatency, 1e-4f);  // measured about 1.1e-5 at every rate
    // One sample either way is far worse: the reported latency is the true one.
    EXPECT_GT(alignedError(input, output, latency - 1, 200), 10.0f * atLatency);
    EXPECT_GT(alignedError(input, output, latency + 1, 200), 10.0f * atLatency);
}

INSTANTIATE_TEST_SUITE_P(Rates, ResamplerRates,
                         testing::Values(22050.0, 44100.0, 88200.0, 96000.0, 192000.0));

TEST(Resampler, PassbandToneKeepsItsLevel) {
    const Signal input = test::sine(48000, 10000.0, 96000.0, 0.5f);
    int latency = 0;
    const float peak = peakAfter(throughIdentity(96000.0, input, latency), 10000);
    EXPECT_NEAR(20.0 * std::log10(peak / 0.5), 0.0, 0.05);  // within 0.05 dB
}

TEST(Resampler, ToneAboveTheModelsNyquistIsRemovedNotAliased) {
    // 30 kHz at 96 kHz cannot exist at the model's 48 kHz: it must vanish, not fold to 18 kHz.
    const Signal input = test::sine(48000, 30000.0, 96000.0, 0.5f);
    int latency = 0;
    const float peak = peakAfter(throughIdentity(96000.0, input, latency), 10000);
    std::printf("30 kHz through a 48 kHz model: %.1f dB\n", 20.0 * std::log10(peak / 0.5 + 1e-12));
    EXPECT_LT(20.0 * std::log10(peak / 0.5 + 1e-12), -70.0);
}

TEST(Resampler, MatchingRatesAddNoResamplerAndNoLatency) {
    const Signal input = test::bandLimited(1000, 48000.0, 10000.0);
    int latency = -1;
    EXPECT_TRUE(test::bitIdentical(throughIdentity(48000.0, input, latency), input));
    EXPECT_EQ(latency, 0);
}

}  // namespace
}  // namespace gs
