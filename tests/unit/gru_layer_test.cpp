#include "isa_kernels.h"
#include "model/gru_layer.h"
#include "test_models.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace gs {
namespace {

// The torch.nn.GRU equations in double precision, written out plainly.
std::vector<double> referenceStep(const GruLayer& gru, const std::vector<double>& x,
                                  const std::vector<double>& h) {
    const int hidden = gru.hiddenSize();
    auto gate = [&](int row, bool fromInput) {
        double sum = fromInput ? gru.biasIh()[row] : gru.biasHh()[row];
        if (fromInput)
            for (int i = 0; i < gru.inputSize(); ++i) sum += gru.weightIh()(row, i) * x[i];
        else
            for (int i = 0; i < hidden; ++i) sum += gru.weightHh()(row, i) * h[i];
        return sum;
    };
    auto sigma = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
    std::vector<double> next(hidden);
    for (int j = 0; j < hidden; ++j) {
        const double r = sigma(gate(j, true) + gate(j, false));
        const double z = sigma(gate(hidden + j, true) + gate(hidden + j, false));
        const double n = std::tanh(gate(2 * hidden + j, true) + r * gate(2 * hidden + j, false));
        next[j] = (1 - z) * n + z * h[j];
    }
    return next;
}

class GruLayerSizes : public testing::TestWithParam<std::pair<int, int>> {};

TEST_P(GruLayerSizes, MatchesTheTorchEquationsOverManySteps) {
    const auto [inputs, hidden] = GetParam();
    std::mt19937 rng(42);
    const auto gru = test::randomGru(rng, inputs, hidden);
    std::vector<float> state(gru->stateSize(), 0.0f), scratch(gru->scratchSize());
    std::vector<double> reference(hidden, 0.0);
    std::uniform_real_distribution<float> signal(-3.0f, 3.0f);
    for (int step = 0; step < 200; ++step) {
        std::vector<float> x(inputs);
        for (auto& v : x) v = signal(rng);
        gru->step(x.data(), state.data(), scratch.data());
        reference = referenceStep(*gru, std::vector<double>(x.begin(), x.end()), reference);
        for (int j = 0; j < hidden; ++j)
            ASSERT_NEAR(state[j], reference[j], 2e-6) << "step " << step;
        for (int j = hidden; j < gru->stateSize(); ++j)
            ASSERT_EQ(state[j], 0.0f) << "padding lane " << j;
    }
}

INSTANTIATE_TEST_SUITE_P(Sizes, GruLayerSizes,
                         testing::Values(std::pair{1, 1}, std::pair{1, 8}, std::pair{2, 3},
                                         std::pair{6, 40}, std::pair{1, 64}));

// At H64 (48 KB of recurrent weights) a stream's steps take turns between two tile orders,
// the turn kept in the stream's scratch: the numbers are the forward kernel's, bit for bit,
// for two streams stepped one after the other and for two more stepped as a pair (the pair
// kernel where it is chosen, else one channel forward and one reversed).
TEST(GruLayer, StepsThatAlternateTheirTileOrderGiveTheForwardKernelsNumbers) {
    std::mt19937 rng(7);
    const auto gru = test::randomGru(rng, 1, 64);
    EXPECT_TRUE(gru->alternatesTileOrder());
    EXPECT_FALSE(test::randomGru(rng, 1, 40)->alternatesTileOrder());  // 19-23 KB of weights
    const PackedGru packed(gru->weights(), kernelVectorFloats(gru->kernelIsa()),
                           kernelGruTileRows(gru->kernelIsa(), 64));
    const GruStepFn forward = selectGruStep(gru->kernelIsa(), 64, false);
    const auto size = static_cast<std::size_t>(gru->stateSize());
    const auto scratchSize = static_cast<std::size_t>(gru->scratchSize());
    std::vector<float> left(size, 0.0f), right(left), forwardLeft(left), forwardRight(left),
        pairLeft(left), pairRight(left);
    // one per stream
    std::vector<std::vector<float>> scratch(5, std::vector<float>(scratchSize, 0.0f));
    std::uniform_real_distribution<float> signal(-3.0f, 3.0f);
    for (int step = 0; step < 200; ++step) {
        const float a = signal(rng), b = signal(rng);
        gru->step(&a, left.data(), scratch[0].data());
        gru->step(&b, right.data(), scratch[1].data());
        gru->stepPair(&a, &b, pairLeft.data(), pairRight.data(), scratch[2].data(),
                      scratch[3].data(), false);
        forward(packed, &a, forwardLeft.data(), scratch[4].data());
        forward(packed, &b, forwardRight.data(), scratch[4].data());
        ASSERT_EQ(left, forwardLeft) << "step " << step;
        ASSERT_EQ(right, forwardRight) << "step " << step;
        ASSERT_EQ(pairLeft, forwardLeft) << "step " << step;
        ASSERT_EQ(pairRight, forwardRight) << "step " << step;
        // The turn, the scratch's last float, flips every step of a stream stepped alone.
        ASSERT_EQ(scratch[0].back(), step % 2 == 0 ? 1.0f : 0.0f) << "step " << step;
    }
}

// On AVX2, weights past L1 take the pair kernel only where the CPU runs 256-bit operations
// whole (selectGruStepPair): a pretend Zen 1 steps an H128 GRU's channels one at a time, a
// pretend AVX2 CPU without the split pairs them, each channel with its single steps' numbers.
// H8's pair (one vector per gate) stays on both; H64's weights (48 KB) keep single steps on both.
TEST(GruLayer, TakesAvx2sPairForLargeWeightsOnlyWhereTheCpuRunsItsVectorsWhole) {
    if (activeKernelIsa() < KernelIsa::Avx2) GTEST_SKIP() << "needs AVX2";
    std::mt19937 rng(8);
    for (const int nativeBits : {128, 256}) {
        const test::ScopedKernelOverrides cpu(KernelIsa::Avx2, nativeBits);
        SCOPED_TRACE(std::to_string(nativeBits) + "-bit operations run whole");
        EXPECT_TRUE(test::randomGru(rng, 1, 8)->stepsPairsTogether());
        EXPECT_FALSE(test::randomGru(rng, 1, 64)->stepsPairsTogether());
        const auto gru = test::randomGru(rng, 1, 128);
        ASSERT_EQ(gru->kernelIsa(), KernelIsa::Avx2);
        EXPECT_EQ(gru->stepsPairsTogether(), nativeBits == 256);
        const auto size = static_cast<std::size_t>(gru->stateSize());
        std::vector<float> pair0(size, 0.0f), pair1(pair0), alone0(pair0), alone1(pair0);
        std::vector<std::vector<float>> scratch(
            4, std::vector<float>(static_cast<std::size_t>(gru->scratchSize()), 0.0f));
        std::uniform_real_distribution<float> signal(-3.0f, 3.0f);
        for (int step = 0; step < 50; ++step) {
            const float a = signal(rng), b = signal(rng);
            gru->stepPair(&a, &b, pair0.data(), pair1.data(), scratch[0].data(), scratch[1].data(),
                          false);
            gru->step(&a, alone0.data(), scratch[2].data());
            gru->step(&b, alone1.data(), scratch[3].data());
            ASSERT_EQ(pair0, alone0) << "step " << step;
            ASSERT_EQ(pair1, alone1) << "step " << step;
        }
    }
}

TEST(GruLayer, AppliesResetAfterTheRecurrentMatmul) {
    // With r forced to 0 the candidate must drop the whole recurrent term, b_hn included:
    // n = tanh(W_in x + b_in). Keras' reset_after=False would keep b_hn and differ.
    Eigen::MatrixXf weightIh = Eigen::MatrixXf::Zero(3, 1);
    Eigen::MatrixXf weightHh = Eigen::MatrixXf::Zero(3, 1);
    Eigen::VectorXf biasIh = Eigen::VectorXf::Zero(3);
    Eigen::VectorXf biasHh = Eigen::VectorXf::Zero(3);
    biasIh[0] = -100.0f;  // r = 0
    biasIh[1] = -100.0f;  // z = 0: h' = n
    weightIh(2, 0) = 0.5f;
    biasIh[2] = 0.1f;
    biasHh[2] = 5.0f;  // would dominate if reset were applied before the matmul
    const GruLayer gru(weightIh, weightHh, biasIh, biasHh);
    float x = 0.4f;
    std::vector<float> h(gru.stateSize(), 0.0f), scratch(gru.scratchSize());
    gru.step(&x, h.data(), scratch.data());
    EXPECT_NEAR(h[0], std::tanh(0.5f * 0.4f + 0.1f), 5e-7);  // the kernel tanh: gru_kernels_test
}

TEST(GruLayer, GateOrderIsResetUpdateNew) {
    // Only the second block of rows (z) saturates to 1: the state must be kept unchanged.
    Eigen::MatrixXf weightIh = Eigen::MatrixXf::Zero(3, 1);
    Eigen::MatrixXf weightHh = Eigen::MatrixXf::Zero(3, 1);
    Eigen::VectorXf biasIh = Eigen::VectorXf::Zero(3);
    Eigen::VectorXf biasHh = Eigen::VectorXf::Zero(3);
    biasIh[1] = 100.0f;
    biasIh[2] = 3.0f;
    const GruLayer gru(weightIh, weightHh, biasIh, biasHh);
    float x = 1.0f;
    std::vector<float> h(gru.stateSize(), 0.0f), scratch(gru.scratchSize());
    h[0] = 0.25f;
    gru.step(&x, h.data(), scratch.data());
    EXPECT_FLOAT_EQ(h[0], 0.25f);
}

TEST(GruLayer, RejectsShapesThatAreNotAGru) {
    EXPECT_THROW(GruLayer(Eigen::MatrixXf::Zero(6, 1), Eigen::MatrixXf::Zero(6, 3),
                          Eigen::VectorXf::Zero(6), Eigen::VectorXf::Zero(6)),
                 std::invalid_argument);
    EXPECT_THROW(GruLayer(Eigen::MatrixXf::Zero(6, 1), Eigen::MatrixXf::Zero(6, 2),
                          Eigen::VectorXf::Zero(5), Eigen::VectorXf::Zero(6)),
                 std::invalid_argument);
}

TEST(GruLayer, CountsParameters) {
    std::mt19937 rng(1);
    EXPECT_EQ(test::randomGru(rng, 1, 40)->parameterCount(), 3 * 40 * (1 + 40 + 2));
}

}  // namespace
}  // namespace gs
