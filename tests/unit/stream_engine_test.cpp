#include "dsp/model_stream.h"
#include "dsp/stream_engine.h"
#include "engine_helpers.h"
#include "test_models.h"

#include <gtest/gtest.h>

#include <limits>

namespace gs {
namespace {

using test::Signal;

constexpr double rate = 48000.0;

Signal noisySignal(std::size_t frames, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> noise(-1.0f, 1.0f);
    Signal s(frames);
    for (auto& v : s) v = 0.8f * noise(rng);
    return s;
}

TEST(StreamEngine, AtDefaultSettingsItEqualsTheBareModelStream) {
    const auto model = test::randomModel(31, 1, 16, 1, 1, 1);
    const Signal input = noisySignal(5000, 1);
    StreamEngine engine;
    engine.setModel(model);
    engine.prepare(rate, 512, 1);
    const Signal viaEngine = test::runEngine(engine, input, {512});

    ModelStream stream;
    stream.prepare(model, 1);
    Signal viaStream = input;
    float* p = viaStream.data();
    stream.process(&p, &p, 1, static_cast<int>(input.size()));
    EXPECT_TRUE(test::bitIdentical(viaEngine, viaStream));
    EXPECT_EQ(engine.latencySamples(), 0);
    EXPECT_FALSE(engine.isResampling());
}

// Everything on: resampling, ramps still moving at the start, mix, bypass fading in.
Signal renderAllFeatures(const std::vector<int>& blocks) {
    StreamEngine engine;
    engine.setModel(
        test::randomModel(32, 1, 12, 2, 1, 1, Activation::None, ModelTask::Effect, 48000.0));
    engine.parameters().setBypassed(true);
    engine.prepare(44100.0, 4096, 1);
    engine.parameters().setInputGainDb(-4.0f);
    engine.parameters().setOutputGainDb(3.0f);
    engine.parameters().setMix(0.6f);
    engine.parameters().setBypassed(false);
    return test::runEngine(engine, noisySignal(30000, 2), blocks);
}

TEST(StreamEngine, PartitionInvarianceIsBitExactWithEveryFeatureOn) {
    const Signal reference = renderAllFeatures({4096});
    EXPECT_TRUE(test::allFinite(reference));
    for (const std::vector<int>& blocks :
         {std::vector<int>{1}, {7}, {64}, {0, 13, 0, 2048, 1, 333}, {4095, 4097}})
        EXPECT_TRUE(test::bitIdentical(renderAllFeatures(blocks), reference)) << blocks.front();
}

TEST(StreamEngine, BlocksLongerThanPreparedAreSplitNotDropped) {
    const auto model = test::randomModel(33, 1, 8, 1);
    StreamEngine small, large;
    small.setModel(model);
    large.setModel(model);
    small.prepare(rate, 64, 1);
    large.prepare(rate, 10000, 1);
    const Signal input = noisySignal(10000, 3);
    EXPECT_TRUE(test::bitIdentical(test::runEngine(small, input, {10000}),
                                   test::runEngine(large, input, {10000})));
}

// The largest sample-to-sample step across a swap from model a to model b, and the bound the
// two signals themselves allow: their own largest steps plus the fade's slope.
struct SwapSteps {
    float observed;
    float allowed;
};

SwapSteps swapSteps(double crossfadeMs) {
    const auto a = test::randomModel(34, 1, 16, 1, 1, 1);
    const auto b = test::randomModel(35, 1, 16, 1, 1, 0);
    const Signal input = test::sine(24000, 220.0, rate);
    const std::size_t swapAt = 9600;

    StreamEngine engine;
    engine.setCrossfadeMs(crossfadeMs);
    engine.setModel(a);
    engine.prepare(rate, 256, 1);
    const Signal output =
        test::runEngine(engine, input, {64}, [&](StreamEngine& e, std::size_t position) {
            if (position == swapAt) e.setModel(b);
        });

    // The two signals alone: a from the start, b from a zero state at the swap.
    StreamEngine onlyA, onlyB;
    onlyA.setModel(a);
    onlyA.prepare(rate, 256, 1);
    onlyB.setModel(b);
    onlyB.prepare(rate, 256, 1);
    const Signal ya = test::runEngine(onlyA, input, {64});
    const Signal yb = test::runEngine(onlyB, Signal(input.begin() + swapAt, input.end()), {64});
    float difference = 0.0f;
    for (std::size_t i = 0; i < yb.size(); ++i)
        difference = std::max(difference, std::fabs(ya[swapAt + i] - yb[i]));
    // The bound is always that of the default crossfade, whatever this engine was set to.
    const auto fadeSamples = static_cast<float>(StreamEngine::defaultCrossfadeMs * rate / 1000.0);
    const float allowed =
        std::max(test::maxStep(ya, 1, ya.size()), test::maxStep(yb, 1, yb.size())) +
        difference / fadeSamples + 1e-6f;
    return {test::maxStep(output, swapAt - 1, swapAt + 4000), allowed};
}

TEST(StreamEngine, ModelSwapCrossfadesWithoutAStepBeyondTheSignalsOwn) {
    const SwapSteps steps = swapSteps(StreamEngine::defaultCrossfadeMs);
    EXPECT_LE(steps.observed, steps.allowed);
}

TEST(StreamEngine, WithoutACrossfadeTheSameSwapClicks) {
    // The control: proves the test above can fail.
    const SwapSteps steps = swapSteps(0.0);
    EXPECT_GT(steps.observed, steps.allowed);
}

TEST(StreamEngine, SwapCompletesAndReportsTheNewModel) {
    StreamEngine engine;
    engine.setModel(test::randomModel(36, 1, 8, 1));
    engine.prepare(rate, 128, 2);
    engine.setModel(
        test::randomModel(37, 1, 8, 1, 1, 0, Activation::None, ModelTask::Effect, 44100.0));
    Signal left(4800, 0.1f), right(4800, -0.1f);
    float* channels[2] = {left.data(), right.data()};
    for (int i = 0; i < 4800; i += 128) {
        float* block[2] = {channels[0] + i, channels[1] + i};
        engine.process(block, 2, std::min(128, 4800 - i));
    }
    EXPECT_EQ(engine.completedSwaps(), 1u);
    EXPECT_TRUE(engine.isResampling());
    EXPECT_GT(engine.latencySamples(), 0);
    engine.collectGarbage();
}

TEST(StreamEngine, BypassTogglesWithoutAStep) {
    const auto model = test::randomModel(38, 1, 16, 1, 1, 0);
    const Signal input = test::sine(24000, 220.0, rate);
    StreamEngine engine;
    engine.setModel(model);
    engine.prepare(rate, 64, 1);
    const Signal output =
        test::runEngine(engine, input, {64}, [](StreamEngine& e, std::size_t position) {
            if (position == 6400) e.parameters().setBypassed(true);
            if (position == 16000) e.parameters().setBypassed(false);
        });
    StreamEngine wetOnly;
    wetOnly.setModel(model);
    wetOnly.prepare(rate, 64, 1);
    const Signal wet = test::runEngine(wetOnly, input, {64});
    float difference = 0.0f;
    for (std::size_t i = 0; i < input.size(); ++i)
        difference = std::max(difference, std::fabs(wet[i] - input[i]));
    const float allowed =
        std::max(test::maxStep(wet, 1, wet.size()), test::maxStep(input, 1, input.size())) +
        difference / 2400.0f + 1e-6f;
    EXPECT_LE(test::maxStep(output, 6400, 24000), allowed);
    // Fully bypassed, the output is the dry input.
    for (std::size_t i = 12000; i < 16000; ++i) ASSERT_EQ(output[i], input[i]) << i;
}

TEST(StreamEngine, GainChangesRampWithoutZipperSteps) {
    StreamEngine engine;
    engine.setModel(test::identityModel());
    engine.prepare(rate, 100, 1);
    const Signal output = test::runEngine(engine, Signal(4000, 1.0f), {100},
                                          [](StreamEngine& e, std::size_t position) {
                                              if (position == 1000)
                                                  e.parameters().setOutputGainDb(-20.0f);
                                          });
    const int ramp = static_cast<int>(StreamEngine::parameterRampMs * rate / 1000.0);
    EXPECT_EQ(output[999], 1.0f);
    EXPECT_LE(test::maxStep(output, 1000, 4000), 0.9f / static_cast<float>(ramp) * 1.001f);
    EXPECT_NEAR(output[1000 + static_cast<std::size_t>(ramp) + 5], 0.1f, 1e-6f);
}

TEST(StreamEngine, MixAtZeroIsTheDryInputExactly) {
    StreamEngine engine;
    engine.parameters().setMix(0.0f);
    engine.setModel(test::randomModel(39, 1, 8, 1));
    engine.prepare(rate, 256, 1);
    const Signal input = noisySignal(2000, 4);
    EXPECT_TRUE(test::bitIdentical(test::runEngine(engine, input, {256}), input));
}

TEST(StreamEngine, NonFiniteInputIsSilencedFlaggedAndRecoversNextBlock) {
    const auto model = test::randomModel(40, 1, 8, 1, 1, 1);
    StreamEngine engine;
    engine.setModel(model);
    engine.prepare(rate, 256, 1);
    Signal input = noisySignal(256 * 3, 5);
    input[300] = std::numeric_limits<float>::quiet_NaN();
    input[310] = std::numeric_limits<float>::infinity();
    const Signal output = test::runEngine(engine, input, {256});
    EXPECT_TRUE(test::allFinite(output));
    EXPECT_TRUE(engine.takeNonFiniteFlag());
    EXPECT_FALSE(engine.takeNonFiniteFlag());  // taken
    for (std::size_t i = 256; i < 512; ++i) ASSERT_EQ(output[i], 0.0f);
    // The next block runs from a reset state: the same as a fresh engine on that block.
    StreamEngine fresh;
    fresh.setModel(model);
    fresh.prepare(rate, 256, 1);
    const Signal expected = test::runEngine(fresh, Signal(input.begin() + 512, input.end()), {256});
    EXPECT_TRUE(test::bitIdentical(Signal(output.begin() + 512, output.end()), expected));
}

TEST(StreamEngine, NonFiniteInputWhileResamplingStaysFiniteAndRecovers) {
    StreamEngine engine;
    engine.setModel(test::randomModel(41, 1, 8, 1, 1, 1));
    engine.prepare(96000.0, 128, 1);
    Signal input = noisySignal(128 * 10, 6);
    input[200] = -std::numeric_limits<float>::infinity();
    const Signal output = test::runEngine(engine, input, {128});
    EXPECT_TRUE(test::allFinite(output));
    EXPECT_EQ(engine.nonFiniteEvents(), 1u);
    EXPECT_GT(test::maxStep(output, 600, output.size()), 0.0f);  // sound again after the fault
}

// A layer that poisons a hidden value it never outputs once the input exceeds 10, so only the
// engine's state check can catch it.
class PoisonLayer final : public RecurrentLayer {
public:
    const char* typeName() const noexcept override { return "poison"; }
    int inputSize() const noexcept override { return 1; }
    int hiddenSize() const noexcept override { return 1; }
    int outputSize() const noexcept override { return 1; }
    int stateSize() const noexcept override { return 2; }
    int scratchSize() const noexcept override { return 0; }
    long parameterCount() const noexcept override { return 0; }
    void step(const float* input, float* state, float*) const noexcept override {
        state[0] = 0.5f * input[0];
        if (input[0] > 10.0f) state[1] = std::numeric_limits<float>::quiet_NaN();
    }
    std::unique_ptr<const RecurrentLayer>
    withNormalisedInput(const std::vector<float>&, const std::vector<float>&) const override {
        return std::make_unique<PoisonLayer>();  // not used by this test
    }
};

TEST(StreamEngine, NonFiniteStateIsCaughtEvenWhenTheOutputLooksFine) {
    std::vector<std::unique_ptr<const RecurrentLayer>> layers;
    layers.push_back(std::make_unique<PoisonLayer>());
    ModelInfo info;
    auto model = std::make_shared<RecurrentModel>(
        std::move(layers),
        DenseLayer(Eigen::MatrixXf::Ones(1, 1), Eigen::VectorXf::Zero(1), Activation::None), 0,
        info);
    StreamEngine engine;
    engine.setModel(model);
    engine.prepare(rate, 100, 1);
    Signal input(300, 0.5f);
    input[150] = 20.0f;
    const Signal output = test::runEngine(engine, input, {100});
    EXPECT_TRUE(engine.takeNonFiniteFlag());
    for (std::size_t i = 100; i < 200; ++i) ASSERT_EQ(output[i], 0.0f);
    EXPECT_EQ(output[250], 0.25f);  // state reset, processing resumed
}

TEST(StreamEngine, NeverEmitsDenormals) {
    StreamEngine engine;
    engine.parameters().setMix(0.0f);
    engine.setModel(test::identityModel());
    engine.prepare(rate, 64, 1);
    const Signal output = test::runEngine(engine, Signal(64, 1e-40f), {64});
    for (float v : output) ASSERT_EQ(v, 0.0f);
}

TEST(StreamEngine, ResetFromAnyThreadReturnsToTheStartingState) {
    StreamEngine engine;
    engine.setModel(test::randomModel(42, 1, 8, 1));
    engine.prepare(rate, 500, 1);
    const Signal input = noisySignal(500, 7);
    const Signal first = test::runEngine(engine, input, {500});
    std::thread([&] { engine.reset(); }).join();
    EXPECT_TRUE(test::bitIdentical(test::runEngine(engine, input, {500}), first));
}

TEST(StreamEngine, WithNoModelItPassesAudioThrough) {
    StreamEngine engine;
    engine.prepare(rate, 64, 1);
    const Signal input = noisySignal(640, 8);
    EXPECT_TRUE(test::bitIdentical(test::runEngine(engine, input, {64}), input));
}

TEST(StreamEngine, RefusesModelsItCannotRunAndKeepsTheOldOne) {
    StreamEngine engine;
    const auto model = test::randomModel(43, 1, 8, 1);
    engine.setModel(model);
    engine.prepare(rate, 64, 1);
    EXPECT_THROW(engine.setModel(test::randomModel(1, 6, 8, 1, 4)), std::invalid_argument);
    EXPECT_THROW(engine.setModel(nullptr), std::invalid_argument);
    StreamEngine reference;
    reference.setModel(model);
    reference.prepare(rate, 64, 1);
    const Signal input = noisySignal(640, 9);
    EXPECT_TRUE(test::bitIdentical(test::runEngine(engine, input, {64}),
                                   test::runEngine(reference, input, {64})));
    EXPECT_EQ(engine.completedSwaps(), 0u);
}

TEST(StreamEngine, ParametersClampAndIgnoreNan) {
    EngineParameters parameters;
    parameters.setInputGainDb(100.0f);
    EXPECT_EQ(parameters.inputGainDb(), EngineParameters::maxGainDb);
    parameters.setMix(std::numeric_limits<float>::quiet_NaN());
    EXPECT_EQ(parameters.mix(), 1.0f);
    parameters.setMix(-1.0f);
    EXPECT_EQ(parameters.mix(), 0.0f);
}

TEST(StreamEngine, ReportsMemoryPerChannel) {
    StreamEngine engine;
    engine.setModel(test::randomModel(44, 1, 40, 1));
    engine.prepare(rate, 512, 2);
    const std::size_t direct = engine.bytesPerChannel();
    EXPECT_GE(direct, 2u * 512u * sizeof(float));  // wet and dry block buffers at least
    engine.prepare(44100.0, 512, 2);
    EXPECT_GT(engine.bytesPerChannel(), direct);  // resampler histories on top
}

TEST(StreamEngine, PrepareRejectsNonsense) {
    StreamEngine engine;
    EXPECT_THROW(engine.prepare(0.0, 64, 1), std::invalid_argument);
    EXPECT_THROW(engine.prepare(48000.0, 0, 1), std::invalid_argument);
    EXPECT_THROW(engine.prepare(48000.0, 64, 0), std::invalid_argument);
}

}  // namespace
}  // namespace gs
