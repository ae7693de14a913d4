#include "model/dense_layer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace gs {
namespace {

DenseLayer twoByTwo(Activation activation) {
    Eigen::MatrixXf weight(2, 2);
    weight << 1.0f, 2.0f, -1.0f, 0.5f;
    Eigen::VectorXf bias(2);
    bias << 0.5f, -0.25f;
    return {weight, bias, activation};
}

TEST(DenseLayer, ComputesWeightTimesInputPlusBias) {
    const float x[2] = {0.5f, -1.0f};
    float y[2];
    twoByTwo(Activation::None).apply(x, y);
    EXPECT_FLOAT_EQ(y[0], 0.5f - 2.0f + 0.5f);
    EXPECT_FLOAT_EQ(y[1], -0.5f - 0.5f - 0.25f);
}

TEST(DenseLayer, AppliesTanhAndSigmoid) {
    const float x[2] = {0.5f, -1.0f};
    float y[2];
    twoByTwo(Activation::Tanh).apply(x, y);
    EXPECT_FLOAT_EQ(y[0], std::tanh(-1.0f));
    twoByTwo(Activation::Sigmoid).apply(x, y);
    EXPECT_FLOAT_EQ(y[1], 1.0f / (1.0f + std::exp(1.25f)));
}

TEST(DenseLayer, SoftmaxSumsToOneAndStaysFiniteForLargeInputs) {
    const float x[2] = {1000.0f, -1000.0f};
    float y[2];
    twoByTwo(Activation::Softmax).apply(x, y);
    EXPECT_TRUE(std::isfinite(y[0]) && std::isfinite(y[1]));
    EXPECT_NEAR(y[0] + y[1], 1.0f, 1e-6f);
    EXPECT_GT(y[0], 0.99f);
}

TEST(DenseLayer, RejectsMismatchedBias) {
    EXPECT_THROW(
        DenseLayer(Eigen::MatrixXf::Zero(2, 3), Eigen::VectorXf::Zero(3), Activation::None),
        std::invalid_argument);
}

TEST(Activation, NamesRoundTrip) {
    for (Activation a :
         {Activation::None, Activation::Tanh, Activation::Sigmoid, Activation::Softmax})
        EXPECT_EQ(activationFromName(activationName(a)), a);
    EXPECT_EQ(activationFromName("relu"), std::nullopt);
}

}  // namespace
}  // namespace gs
