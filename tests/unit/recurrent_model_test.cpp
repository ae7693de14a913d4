#include "model/model_limits.h"
#include "model/recurrent_model.h"
#include "test_models.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace gs {
namespace {

TEST(RecurrentModel, SkipAddsTheInputToTheOutput) {
    const auto withSkip = test::randomModel(3, 1, 8, 1, 1, 1);
    const auto withoutSkip = test::randomModel(3, 1, 8, 1, 1, 0);
    ModelState a(*withSkip), b(*withoutSkip);
    for (float x : {0.1f, -0.7f, 2.0f, 0.0f}) {
        float ya, yb;
        withSkip->processFrame(&x, &ya, a);
        withoutSkip->processFrame(&x, &yb, b);
        EXPECT_FLOAT_EQ(ya, yb + x);
    }
}

TEST(RecurrentModel, StatesAreIndependentSoOneModelServesManyStreams) {
    const auto model = test::randomModel(5, 1, 16, 2);
    ModelState first(*model), second(*model), fresh(*model);
    float y1, y2, y3;
    for (int i = 0; i < 100; ++i) {
        const float x = std::sin(0.1f * static_cast<float>(i));
        model->processFrame(&x, &y1, first);
    }
    const float x = 0.3f;
    model->processFrame(&x, &y2, second);
    model->processFrame(&x, &y3, fresh);
    EXPECT_EQ(y2, y3);  // second never saw what first processed
    second.reset();
    first.reset();
    model->processFrame(&x, &y1, first);
    model->processFrame(&x, &y2, second);
    EXPECT_EQ(y1, y2);  // reset returns to the zero state
}

// Frames in runs: each stream gets exactly what processFrame gives it frame by frame, through
// two layers, a skip and three outputs, at H8, H16 and H24 (the pair kernels or two single
// steps, depending on the CPU).
TEST(RecurrentModel, FramesInRunsGiveEachStreamWhatSingleFramesGive) {
    for (const int hidden : {8, 16, 24}) {
        const auto model = test::randomModel(12, 2, hidden, 2, 3, 2);
        std::mt19937 rng(13);
        std::uniform_real_distribution<float> signal(-2.0f, 2.0f);
        const int frames = 50;
        std::vector<float> input0(2 * frames), input1(2 * frames);
        for (float& x : input0) x = signal(rng);
        for (float& x : input1) x = signal(rng);
        ModelState pair0(*model), pair1(*model), alone0(*model), alone1(*model);
        std::vector<float> output0(3 * frames), output1(3 * frames);
        // runs of 1, 7, 0 and 42 frames
        int done = 0;
        for (const int run : {1, 7, 0, 42}) {
            model->processFramesPair(&input0[2 * done], &input1[2 * done], &output0[3 * done],
                                     &output1[3 * done], run, pair0, pair1);
            done += run;
        }
        ASSERT_EQ(done, frames);
        for (int k = 0; k < frames; ++k) {
            float expected0[3], expected1[3];
            model->processFrame(&input0[2 * k], expected0, alone0);
            model->processFrame(&input1[2 * k], expected1, alone1);
            for (int o = 0; o < 3; ++o) {
                EXPECT_EQ(output0[3 * k + o], expected0[o]) << "H" << hidden << " frame " << k;
                EXPECT_EQ(output1[3 * k + o], expected1[o]) << "H" << hidden << " frame " << k;
            }
        }
    }
}

TEST(RecurrentModel, CountsParametersAcrossLayers) {
    const auto model = test::randomModel(1, 2, 8, 2, 3);
    const long expected = 3 * 8 * (2 + 8 + 2) + 3 * 8 * (8 + 8 + 2) + 3 * 8 + 3;
    EXPECT_EQ(model->parameterCount(), expected);
    EXPECT_EQ(model->stateSize(), 32);  // each GRU's state is padded to a whole 16-float vector
}

TEST(RecurrentModel, RejectsLayersThatDoNotChain) {
    std::mt19937 rng(1);
    std::vector<std::unique_ptr<const RecurrentLayer>> layers;
    layers.push_back(test::randomGru(rng, 1, 8));
    layers.push_back(test::randomGru(rng, 4, 8));
    EXPECT_THROW(RecurrentModel(std::move(layers),
                                DenseLayer(Eigen::MatrixXf::Zero(1, 8), Eigen::VectorXf::Zero(1),
                                           Activation::None),
                                0, {}),
                 std::invalid_argument);
}

TEST(RecurrentModel, RejectsMoreLayersThanTheLimit) {
    EXPECT_NO_THROW(test::randomModel(1, 1, 4, limits::maxRecurrentLayers));
    EXPECT_THROW(test::randomModel(1, 1, 4, limits::maxRecurrentLayers + 1), std::invalid_argument);
}

TEST(RecurrentModel, RejectsSkipWiderThanTheOutput) {
    EXPECT_THROW(test::randomModel(1, 2, 4, 1, 1, 2), std::invalid_argument);
}

TEST(ModelState, ReportsNonFiniteState) {
    const auto model = test::randomModel(1, 1, 4, 1);
    ModelState state(*model);
    EXPECT_TRUE(state.isFinite());
    state.layerState(0)[2] = std::numeric_limits<float>::quiet_NaN();
    EXPECT_FALSE(state.isFinite());
    state.reset();
    EXPECT_TRUE(state.isFinite());
}

}  // namespace
}  // namespace gs
