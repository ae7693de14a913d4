#include "dsp/model_stream.h"
#include "model/lstm_layer.h"
#include "test_models.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace gs {
namespace {

std::vector<float> testSignal(int frames, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> noise(-1.0f, 1.0f);
    std::vector<float> x(static_cast<std::size_t>(frames));
    for (int i = 0; i < frames; ++i)
        x[static_cast<std::size_t>(i)] = (i / 500 % 3 == 2) ? 0.0f : 4.0f * noise(rng);
    return x;
}

// Renders a mono signal through a fresh stream, cutting it into blocks of the given sizes
// (cycled), in place.
std::vector<float> renderInBlocks(const std::shared_ptr<const RecurrentModel>& model,
                                  std::vector<float> signal, const std::vector<int>& blockSizes) {
    ModelStream stream;
    stream.prepare(model, 1);
    std::size_t position = 0, which = 0;
    while (position < signal.size()) {
        const int block = std::min<int>(blockSizes[which++ % blockSizes.size()],
                                        static_cast<int>(signal.size() - position));
        float* channel = signal.data() + position;
        stream.process(&channel, &channel, 1, block);
        position += static_cast<std::size_t>(block);
    }
    return signal;
}

bool bitIdentical(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST(ModelStream, OutputIsBitIdenticalWhateverTheBlockPartition) {
    const auto model = test::randomModel(11, 1, 24, 2, 1, 1);
    const auto signal = testSignal(20000, 1);
    const auto reference = renderInBlocks(model, signal, {4096});
    EXPECT_FALSE(bitIdentical(reference, signal));  // the model did something
    for (const std::vector<int>& sizes :
         {std::vector<int>{1}, {7}, {64}, {0, 3, 0, 1000, 17, 0, 1}, {4095, 1}})
        EXPECT_TRUE(bitIdentical(renderInBlocks(model, signal, sizes), reference))
            << "first block size " << sizes.front();
}

TEST(ModelStream, RandomPartitionsIncludingEmptyBlocksGiveIdenticalOutput) {
    const auto model = test::randomModel(12, 1, 8, 1, 1, 1);
    const auto signal = testSignal(10000, 2);
    const auto reference = renderInBlocks(model, signal, {10000});
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> size(0, 300);
    for (int trial = 0; trial < 5; ++trial) {
        std::vector<int> sizes(50);
        for (auto& s : sizes) s = size(rng);
        sizes.push_back(1);  // guarantees progress
        EXPECT_TRUE(bitIdentical(renderInBlocks(model, signal, sizes), reference)) << trial;
    }
}

TEST(ModelStream, ChannelsKeepIndependentState) {
    const auto model = test::randomModel(13, 1, 16, 1);
    const auto left = testSignal(4000, 3);
    auto right = testSignal(4000, 4);
    const auto leftAlone = renderInBlocks(model, left, {256});

    ModelStream stream;
    stream.prepare(model, 2);
    auto leftOut = left;
    float* channels[2] = {leftOut.data(), right.data()};
    stream.process(channels, channels, 2, 4000);
    EXPECT_TRUE(bitIdentical(leftOut, leftAlone));
    EXPECT_FALSE(bitIdentical(leftOut, right));
}

TEST(ModelStream, OutOfPlaceEqualsInPlace) {
    const auto model = test::randomModel(14, 1, 8, 1);
    const auto signal = testSignal(2000, 5);
    std::vector<float> out(signal.size());
    ModelStream stream;
    stream.prepare(model, 1);
    const float* in = signal.data();
    float* outPtr = out.data();
    stream.process(&in, &outPtr, 1, 2000);
    EXPECT_TRUE(bitIdentical(out, renderInBlocks(model, signal, {2000})));
}

TEST(ModelStream, ResetReturnsToTheStartingState) {
    const auto model = test::randomModel(15, 1, 8, 1);
    const auto signal = testSignal(1000, 6);
    ModelStream stream;
    stream.prepare(model, 1);
    auto first = signal, second = signal;
    float* p = first.data();
    stream.process(&p, &p, 1, 1000);
    stream.reset();
    p = second.data();
    stream.process(&p, &p, 1, 1000);
    EXPECT_TRUE(bitIdentical(first, second));
}

TEST(ModelStream, RefusesModelsThatAreNotOneInOneOut) {
    ModelStream stream;
    EXPECT_THROW(stream.prepare(test::randomModel(1, 6, 8, 1, 4), 1), std::invalid_argument);
    EXPECT_THROW(stream.prepare(test::randomModel(1, 1, 8, 1), 0), std::invalid_argument);
    EXPECT_THROW(stream.prepare(nullptr, 1), std::invalid_argument);
}

}  // namespace
}  // namespace gs

namespace gs {
namespace {

// One signal through two streams of the same model, with idle skipping and without.
struct IdleRun {
    int idleSamples = 0;  // samples the skipping stream spent idle
    bool idleAtTheEnd = false;
    float worst = 0.0f;  // largest difference between the two outputs
};
IdleRun runWithAndWithoutIdleSkipping(const std::shared_ptr<const RecurrentModel>& model,
                                      const std::vector<float>& signal) {
    ModelStream skipping, exact;
    skipping.prepare(model, 1);
    exact.prepare(model, 1);
    exact.setIdleSkipping(false);
    IdleRun run;
    for (const float x : signal) {
        const float a = skipping.processSample(0, x);
        run.worst = std::max(run.worst, std::abs(a - exact.processSample(0, x)));
        run.idleSamples += skipping.isIdle(0) ? 1 : 0;
        EXPECT_FALSE(exact.isIdle(0));
    }
    run.idleAtTheEnd = skipping.isIdle(0);
    return run;
}

// Signal, then 2 s of digital silence, then signal again: idle skipping must engage in the
// silence and change nothing beyond its stated bound, before, during or after.
TEST(ModelStream, IdleSkippingEngagesOnSilenceAndStaysWithinItsBound) {
    const auto model = test::randomModel(5, 1, 16, 1, 1, 1);
    std::vector<float> signal(48000 * 3, 0.0f);
    for (int i = 0; i < 48000; ++i)
        signal[static_cast<std::size_t>(i)] = 0.7f * std::sin(0.02f * static_cast<float>(i));
    for (int i = 96000; i < 144000; ++i)
        signal[static_cast<std::size_t>(i)] = 0.7f * std::sin(0.03f * static_cast<float>(i));
    const IdleRun run = runWithAndWithoutIdleSkipping(model, signal);
    EXPECT_GT(run.idleSamples, 40000);  // most of the silence ran no model at all
    EXPECT_FALSE(run.idleAtTheEnd);     // the signal came back
    EXPECT_LT(run.worst, 5e-6f);
    std::printf("idle for %d of 48000 silent samples; worst difference %.3g\n", run.idleSamples,
                static_cast<double>(run.worst));
}

// An LSTM whose forget gate holds almost everything (bias 6: f = 0.9975) settles on silence
// with a cell state in the hundreds, where one bit of c is worth 3e-5: it still goes idle.
TEST(ModelStream, AnLstmWithALargeSettledCellStateGoesIdleToo) {
    std::mt19937 rng(8);
    const int hidden = 12;
    Eigen::VectorXf bias = test::randomVector(rng, 4 * hidden, 0.1f);
    bias.segment(0, hidden).array() += 2.0f;           // i: open
    bias.segment(hidden, hidden).array() += 6.0f;      // f: holds c
    bias.segment(2 * hidden, hidden).array() += 1.0f;  // g: pushes c up
    std::vector<std::unique_ptr<const RecurrentLayer>> stack;
    stack.push_back(std::make_unique<LstmLayer>(test::randomMatrix(rng, 4 * hidden, 1, 0.3f),
                                                test::randomMatrix(rng, 4 * hidden, hidden, 0.05f),
                                                bias, Eigen::VectorXf::Zero(4 * hidden)));
    const auto model =
        std::make_shared<RecurrentModel>(std::move(stack),
                                         DenseLayer(test::randomMatrix(rng, 1, hidden),
                                                    test::randomVector(rng, 1), Activation::None),
                                         0, ModelInfo{});
    std::vector<float> signal(96000, 0.0f);  // 0.1 s of signal, then silence
    for (int i = 0; i < 4800; ++i)
        signal[static_cast<std::size_t>(i)] = 0.5f * std::sin(0.01f * static_cast<float>(i));
    const IdleRun run = runWithAndWithoutIdleSkipping(model, signal);
    ModelState probe(*model);  // the settled cell state is large (the kernel stores c x 2 log2 e)
    for (int i = 0; i < 20000; ++i) {
        const float zero = 0.0f;
        float out;
        model->processFrame(&zero, &out, probe);
    }
    float largestCell = 0.0f;
    for (int j = 0; j < hidden; ++j)
        largestCell = std::max(largestCell, std::abs(probe.data()[model->stateSize() / 2 + j]));
    EXPECT_GT(largestCell, 100.0f);
    EXPECT_GT(run.idleSamples, 60000);  // most of the 91200 silent samples ran no model
    EXPECT_TRUE(run.idleAtTheEnd);
    EXPECT_LT(run.worst, 5e-6f);
    std::printf("largest stored cell value %.4g; idle for %d of 91200 silent samples; worst "
                "difference %.3g\n",
                static_cast<double>(largestCell), run.idleSamples, static_cast<double>(run.worst));
}

TEST(ModelStream, AnyInputAboveTheIdleLevelWakesItAtOnce) {
    const auto model = test::randomModel(6, 1, 8, 1, 1, 0);
    ModelStream stream, exact;
    stream.prepare(model, 1);
    exact.prepare(model, 1);
    exact.setIdleSkipping(false);
    for (int i = 0; i < 5000; ++i) {
        stream.processSample(0, 0.0f);
        exact.processSample(0, 0.0f);
    }
    ASSERT_TRUE(stream.isIdle(0));
    const float wake = 2e-6f;  // just above the level
    const float a = stream.processSample(0, wake), b = exact.processSample(0, wake);
    EXPECT_FALSE(stream.isIdle(0));
    EXPECT_NEAR(a, b, 1e-6f);
    stream.reset();
    EXPECT_FALSE(stream.isIdle(0));
}

}  // namespace
}  // namespace gs

namespace gs {
namespace {

// Stereo runs channels in pairs through one kernel call, and a channel left over runs its
// loud samples through RecurrentModel::processFrames; each channel must still sound exactly
// like the same signal sample by sample through a mono stream, in 1- and 2-layer models with a
// skip, in place. H8 takes the pair kernel on AVX2, H12 and H16 on AVX-512, H24 only where
// AVX-512 runs at full width; a GRU alone at H8-16 runs a mono run in one kernel call, and
// on AVX2 (H8) a pair's too. Blocks of 64 and of uneven sizes longer than the 64-frame copies
// ModelStream makes; runs of loud samples broken mid-block by one channel's silences (the
// third channel's too), long enough for them to go idle.
TEST(ModelStream, ChannelPairsSoundExactlyLikeMonoStreams) {
    for (const auto& [hidden, layers] :
         {std::pair{8, 1}, {12, 1}, {16, 1}, {24, 1}, {24, 2}, {16, 2}}) {
        SCOPED_TRACE("H" + std::to_string(hidden) + ", layers " + std::to_string(layers));
        const auto model = test::randomModel(9, 1, hidden, layers, 1, 1);
        std::vector<float> left(3000), right(3000);
        for (std::size_t i = 0; i < left.size(); ++i) {
            left[i] = 0.6f * std::sin(0.011f * static_cast<float>(i));
            // with silences
            right[i] = i % 1000 < 500 ? 0.0f : 0.4f * std::sin(0.05f * static_cast<float>(i));
        }
        for (const auto& [channels, blockSizes] :
             {std::pair{2, std::vector<int>{64}}, {3, {64}}, {2, {1000, 65, 200}}}) {
            ModelStream stereo;
            stereo.prepare(model, channels);
            // the channel left over (the third) has the silences too
            std::vector<std::vector<float>> buffers{left, right, right};
            bool rightWentIdle = false, thirdWentIdle = false;
            std::size_t which = 0;
            for (std::size_t start = 0; start < left.size();) {
                std::vector<float*> block{buffers[0].data() + start, buffers[1].data() + start,
                                          buffers[2].data() + start};
                const int frames = static_cast<int>(std::min<std::size_t>(
                    static_cast<std::size_t>(blockSizes[which++ % blockSizes.size()]),
                    left.size() - start));
                stereo.process(block.data(), block.data(), channels, frames);
                rightWentIdle |= stereo.isIdle(1);
                thirdWentIdle |= channels == 3 && stereo.isIdle(2);
                start += static_cast<std::size_t>(frames);
            }
            EXPECT_TRUE(rightWentIdle) << "channels " << channels;
            EXPECT_EQ(thirdWentIdle, channels == 3);
            for (int c = 0; c < channels; ++c) {
                ModelStream mono;
                mono.prepare(model, 1);
                std::vector<float> expected = c >= 1 ? right : left;
                for (float& v : expected) v = mono.processSample(0, v);
                EXPECT_EQ(buffers[static_cast<std::size_t>(c)], expected)
                    << "channel " << c << " of " << channels;
            }
        }
    }
}

}  // namespace
}  // namespace gs
